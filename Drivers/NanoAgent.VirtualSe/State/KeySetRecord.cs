using System.Security.Cryptography;

namespace NanoAgent.VirtualSe.State;

/// <summary>
/// One SCP03 key set of a security domain (GP Amd D §6.1): AES Key-ENC (key id 1), Key-MAC (2) and Key-DEK (3) of one key
/// version number and one length (16, 24 or 32 bytes), plus its failed-authentication counter. The key bytes are the virtual
/// card's own secret store and are persisted as hex in the state file; <see cref="ToString"/> shows key check values only.
/// </summary>
public sealed class KeySetRecord
{
    /// <summary>The key type GlobalPlatform codes AES with (GPC v2.3.1 §11.1.8, key type '88').</summary>
    public const byte AesKeyType = 0x88;

    /// <summary>Gets or sets the key version number (GPC §7.5.1): '01'-'7F', or 'FF' for the initial key set.</summary>
    public byte KeyVersion { get; set; }

    /// <summary>Gets or sets Key-ENC (key identifier 1).</summary>
    public byte[] Enc { get; set; } = [];

    /// <summary>Gets or sets Key-MAC (key identifier 2).</summary>
    public byte[] Mac { get; set; } = [];

    /// <summary>Gets or sets Key-DEK (key identifier 3).</summary>
    public byte[] Dek { get; set; } = [];

    /// <summary>Gets or sets the number of consecutive failed EXTERNAL AUTHENTICATE attempts with this key set.</summary>
    public int FailedAuthentications { get; set; }

    /// <summary>Gets or sets a value indicating whether the key set is blocked (INITIALIZE UPDATE answers '6983').</summary>
    public bool Blocked { get; set; }

    /// <summary>Gets the key length in bytes.</summary>
    public int KeyLength => Enc.Length;

    /// <summary>Creates a key set record from copies of three keys.</summary>
    /// <param name="keyVersion">The key version number.</param>
    /// <param name="enc">Key-ENC.</param>
    /// <param name="mac">Key-MAC.</param>
    /// <param name="dek">Key-DEK.</param>
    /// <returns>The record.</returns>
    public static KeySetRecord Create(byte keyVersion, ReadOnlySpan<byte> enc, ReadOnlySpan<byte> mac, ReadOnlySpan<byte> dek) =>
        new() { KeyVersion = keyVersion, Enc = enc.ToArray(), Mac = mac.ToArray(), Dek = dek.ToArray() };

    /// <summary>
    /// Computes the key check value of an AES key: the leftmost 3 bytes of 16 bytes of '01' encrypted with the key
    /// (GPC v2.3.1 §B.6 as used by Amd D PUT KEY).
    /// </summary>
    /// <param name="key">The key.</param>
    /// <returns>3 bytes.</returns>
    public static byte[] CheckValue(byte[] key)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        byte[] block = new byte[16];
        Array.Fill(block, (byte)0x01);
        return aes.EncryptEcb(block, PaddingMode.None)[..3];
    }

    /// <summary>Tells whether the record is usable: three AES keys of one length 16, 24 or 32.</summary>
    /// <returns>True when valid.</returns>
    public bool IsValid() =>
        Enc is { Length: 16 or 24 or 32 } && Mac?.Length == Enc.Length && Dek?.Length == Enc.Length && FailedAuthentications >= 0;

    /// <inheritdoc />
    public override string ToString() =>
        IsValid()
            ? $"KVN {KeyVersion:X2} AES-{KeyLength * 8} KCV ENC {Convert.ToHexString(CheckValue(Enc))} MAC {Convert.ToHexString(CheckValue(Mac))} DEK {Convert.ToHexString(CheckValue(Dek))}{(Blocked ? " blocked" : string.Empty)}"
            : $"KVN {KeyVersion:X2} (invalid)";
}
