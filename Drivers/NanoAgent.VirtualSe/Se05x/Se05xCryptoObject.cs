namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// A transient crypto object (AN12413 CreateCryptoObject, P1_CRYPTO_OBJ): a 2-byte id, a context (03 = MAC, "signature"
/// in se05x_enums.h SE05x_CryptoContext_t) and a subtype (the MAC algorithm), bound to the authentication object of
/// the session that created it, holding the state of one MACInit..MACFinal run. RAM only: gone at deselect or reset.
/// </summary>
internal sealed class Se05xCryptoObject
{
    /// <summary>CryptoContext SIGNATURE (03): MAC operations.</summary>
    public const byte ContextMac = 0x03;

    public Se05xCryptoObject(ushort id, byte context, byte subtype, uint creator)
    {
        Id = id;
        Context = context;
        Subtype = subtype;
        Creator = creator;
    }

    public ushort Id { get; }

    public byte Context { get; }

    public byte Subtype { get; }

    public uint Creator { get; }

    /// <summary>Gets or sets the MAC run in progress, or null before MACInit and after MACFinal.</summary>
    public Se05xCrypto.IMac? Mac { get; set; }

    /// <summary>Gets or sets a value indicating whether the run validates (P2_VALIDATE) rather than generates.</summary>
    public bool Validates { get; set; }

    /// <summary>Gets or sets the key the run uses (checked again at each step: a deleted key ends the run).</summary>
    public uint KeyId { get; set; }
}
