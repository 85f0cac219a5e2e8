namespace NanoAgent.VirtualSe.Se05x.State;

/// <summary>
/// The secure object types the virtual SE05x keeps, with the codes ReadType answers (NXP middleware se05x_enums.h
/// SE05x_SecObjTyp_t; /work/shared/se05x-facts.md §3). RSA, DES and PCR objects are not modelled.
/// </summary>
public enum Se05xObjectType : byte
{
    /// <summary>EC key pair (01).</summary>
    EcKeyPair = 0x01,

    /// <summary>EC private key (02).</summary>
    EcPrivateKey = 0x02,

    /// <summary>EC public key (03).</summary>
    EcPublicKey = 0x03,

    /// <summary>AES key, also the AESKey authentication object (09).</summary>
    Aes = 0x09,

    /// <summary>Binary file (0B).</summary>
    BinaryFile = 0x0B,

    /// <summary>UserID (0C).</summary>
    UserId = 0x0C,

    /// <summary>Monotonic counter (0D).</summary>
    Counter = 0x0D,

    /// <summary>HMAC key (11).</summary>
    Hmac = 0x11,
}
