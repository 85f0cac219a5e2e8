using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Tests.State;

public class CplcTests
{
    [Fact]
    public void Encode_FieldsInGpOrder_BigEndian()
    {
        // GPC v2.3.1 §H.6: 18 fields, 42 bytes; each field here holds its own position so the order is visible.
        var cplc = new Cplc
        {
            IcFabricator = 0x0101, IcType = 0x0202, OperatingSystemId = 0x0303, OperatingSystemReleaseDate = 0x0404,
            OperatingSystemReleaseLevel = 0x0505, IcFabricationDate = 0x0606, IcSerialNumber = 0x07070707,
            IcBatchIdentifier = 0x0808, IcModuleFabricator = 0x0909, IcModulePackagingDate = 0x0A0A,
            IccManufacturer = 0x0B0B, IcEmbeddingDate = 0x0C0C, IcPrePersonalizer = 0x0D0D,
            IcPrePersonalizationEquipmentDate = 0x0E0E, IcPrePersonalizationEquipmentId = 0x0F0F0F0F,
            IcPersonalizer = 0x1010, IcPersonalizationDate = 0x1111, IcPersonalizationEquipmentId = 0x12121212,
        };
        var buffer = new byte[Cplc.Length];
        Assert.Equal(42, cplc.Encode(buffer));
        Assert.Equal(
            "0101" + "0202" + "0303" + "0404" + "0505" + "0606" + "07070707" + "0808" + "0909" + "0A0A" + "0B0B" + "0C0C" +
            "0D0D" + "0E0E" + "0F0F0F0F" + "1010" + "1111" + "12121212",
            Hex.Of(buffer));
    }

    [Theory]
    [InlineData(0x03, false)]
    [InlineData(0x07, true)]
    [InlineData(0x0F, true)]
    [InlineData(0x1F, true)] // application-specific state keeps b1-b3
    [InlineData(0x87, false)] // locked
    [InlineData(0x01, false)]
    public void IsSelectable_FollowsGpLifeCycleBits(int lifeCycle, bool expected)
    {
        Assert.Equal(expected, EntryLifeCycle.IsSelectable((byte)lifeCycle));
    }
}
