using System.Text.Json.Serialization;

namespace NanoAgent.VirtualSe.Se05x.State;

/// <summary>
/// One persistent secure object of the virtual SE05x, as kept in its state file (AN12413 object attributes as quoted in
/// NXP middleware se05x_APDU_apis.h ReadObjectAttributes: identifier, type, authentication attribute, attempts counter,
/// owner, maximum attempts, policy, origin). Plain data; <see cref="Clone"/> makes the copy a command works on.
/// </summary>
public sealed class Se05xObject
{
    /// <summary>Origin: set from outside (ORIGIN_EXTERNAL, se05x_enums.h).</summary>
    public const byte OriginExternal = 0x01;

    /// <summary>Origin: generated inside the SE (ORIGIN_INTERNAL).</summary>
    public const byte OriginInternal = 0x02;

    /// <summary>Origin: trust-provisioned by NXP, never deletable (ORIGIN_PROVISIONED; DeleteSecureObject refuses it).</summary>
    public const byte OriginProvisioned = 0x03;

    /// <summary>Gets or sets the 4-byte object identifier.</summary>
    public uint Id { get; set; }

    /// <summary>Gets or sets the object type.</summary>
    public Se05xObjectType Type { get; set; }

    /// <summary>Gets or sets a value indicating whether the object is an authentication object (created with INS_AUTH_OBJECT).</summary>
    public bool IsAuthObject { get; set; }

    /// <summary>Gets or sets the policy bytes as written at creation; null when none was given (the default policy applies).</summary>
    public byte[]? Policy { get; set; }

    /// <summary>Gets or sets the maximum authentication attempts; 0 is unlimited (AN12413 TAG_MAX_ATTEMPTS).</summary>
    public int MaxAttempts { get; set; }

    /// <summary>Gets or sets the failed authentication attempts so far (the attributes' object counter).</summary>
    public int FailedAttempts { get; set; }

    /// <summary>Gets or sets the origin (01 external, 02 internal, 03 provisioned).</summary>
    public byte Origin { get; set; } = OriginExternal;

    /// <summary>Gets or sets the authentication object of the session that created the object (its "owner").</summary>
    public uint Owner { get; set; }

    /// <summary>Gets or sets the value: a secret key, a UserID, binary file content, or a counter's big-endian value.</summary>
    public byte[] Value { get; set; } = [];

    /// <summary>Gets or sets the EC private scalar (32 bytes for P-256), or null.</summary>
    public byte[]? PrivateKey { get; set; }

    /// <summary>Gets or sets the EC public point <c>04 X Y</c> (65 bytes for P-256), or null.</summary>
    public byte[]? PublicKey { get; set; }

    /// <summary>Gets or sets the curve identifier of EC objects (03 = NIST P-256).</summary>
    public byte Curve { get; set; }

    /// <summary>Gets or sets how many NVM writes touched this object since it was created.</summary>
    public long Writes { get; set; }

    /// <summary>Gets a value indicating whether the authentication object has no attempts left.</summary>
    [JsonIgnore]
    public bool IsBlocked => IsAuthObject && MaxAttempts > 0 && FailedAttempts >= MaxAttempts;

    /// <summary>Makes a deep copy.</summary>
    /// <returns>The copy.</returns>
    public Se05xObject Clone() => new()
    {
        Id = Id,
        Type = Type,
        IsAuthObject = IsAuthObject,
        Policy = Policy?.ToArray(),
        MaxAttempts = MaxAttempts,
        FailedAttempts = FailedAttempts,
        Origin = Origin,
        Owner = Owner,
        Value = Value.ToArray(),
        PrivateKey = PrivateKey?.ToArray(),
        PublicKey = PublicKey?.ToArray(),
        Curve = Curve,
        Writes = Writes,
    };
}
