using System.Buffers.Binary;

namespace NanoAgent.VirtualSe.State;

/// <summary>
/// Card Production Life Cycle data, the 42 bytes GET DATA '9F7F' answers (GPC v2.3.1 §H.6, the CPLC layout of the
/// Visa GlobalPlatform card implementation requirements). Dates are 2 bytes (Y DDD, BCD-like), as the chips report them.
/// </summary>
public sealed class Cplc
{
    /// <summary>The encoded length.</summary>
    public const int Length = 42;

    /// <summary>Gets or sets the IC fabricator.</summary>
    public ushort IcFabricator { get; set; }

    /// <summary>Gets or sets the IC type.</summary>
    public ushort IcType { get; set; }

    /// <summary>Gets or sets the operating system identifier.</summary>
    public ushort OperatingSystemId { get; set; }

    /// <summary>Gets or sets the operating system release date.</summary>
    public ushort OperatingSystemReleaseDate { get; set; }

    /// <summary>Gets or sets the operating system release level.</summary>
    public ushort OperatingSystemReleaseLevel { get; set; }

    /// <summary>Gets or sets the IC fabrication date.</summary>
    public ushort IcFabricationDate { get; set; }

    /// <summary>Gets or sets the IC serial number.</summary>
    public uint IcSerialNumber { get; set; }

    /// <summary>Gets or sets the IC batch identifier.</summary>
    public ushort IcBatchIdentifier { get; set; }

    /// <summary>Gets or sets the IC module fabricator.</summary>
    public ushort IcModuleFabricator { get; set; }

    /// <summary>Gets or sets the IC module packaging date.</summary>
    public ushort IcModulePackagingDate { get; set; }

    /// <summary>Gets or sets the ICC manufacturer.</summary>
    public ushort IccManufacturer { get; set; }

    /// <summary>Gets or sets the IC embedding date.</summary>
    public ushort IcEmbeddingDate { get; set; }

    /// <summary>Gets or sets the IC pre-personalizer.</summary>
    public ushort IcPrePersonalizer { get; set; }

    /// <summary>Gets or sets the IC pre-personalization equipment date.</summary>
    public ushort IcPrePersonalizationEquipmentDate { get; set; }

    /// <summary>Gets or sets the IC pre-personalization equipment identifier.</summary>
    public uint IcPrePersonalizationEquipmentId { get; set; }

    /// <summary>Gets or sets the IC personalizer.</summary>
    public ushort IcPersonalizer { get; set; }

    /// <summary>Gets or sets the IC personalization date.</summary>
    public ushort IcPersonalizationDate { get; set; }

    /// <summary>Gets or sets the IC personalization equipment identifier.</summary>
    public uint IcPersonalizationEquipmentId { get; set; }

    /// <summary>Writes the 42 CPLC bytes, big-endian, in the order of GPC §H.6.</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <returns><see cref="Length"/>.</returns>
    public int Encode(Span<byte> destination)
    {
        int at = 0;
        Put16(destination, ref at, IcFabricator);
        Put16(destination, ref at, IcType);
        Put16(destination, ref at, OperatingSystemId);
        Put16(destination, ref at, OperatingSystemReleaseDate);
        Put16(destination, ref at, OperatingSystemReleaseLevel);
        Put16(destination, ref at, IcFabricationDate);
        Put32(destination, ref at, IcSerialNumber);
        Put16(destination, ref at, IcBatchIdentifier);
        Put16(destination, ref at, IcModuleFabricator);
        Put16(destination, ref at, IcModulePackagingDate);
        Put16(destination, ref at, IccManufacturer);
        Put16(destination, ref at, IcEmbeddingDate);
        Put16(destination, ref at, IcPrePersonalizer);
        Put16(destination, ref at, IcPrePersonalizationEquipmentDate);
        Put32(destination, ref at, IcPrePersonalizationEquipmentId);
        Put16(destination, ref at, IcPersonalizer);
        Put16(destination, ref at, IcPersonalizationDate);
        Put32(destination, ref at, IcPersonalizationEquipmentId);
        return at;
    }

    private static void Put16(Span<byte> d, ref int at, ushort v)
    {
        BinaryPrimitives.WriteUInt16BigEndian(d[at..], v);
        at += 2;
    }

    private static void Put32(Span<byte> d, ref int at, uint v)
    {
        BinaryPrimitives.WriteUInt32BigEndian(d[at..], v);
        at += 4;
    }
}
