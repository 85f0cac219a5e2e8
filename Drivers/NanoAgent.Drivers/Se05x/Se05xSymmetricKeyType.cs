namespace NanoAgent.Drivers.Se05x
{
    /// <summary>The P1 key type of WriteSymmKey (se05x_enums.h SE05x_SymmKeyType_t).</summary>
    public enum Se05xSymmetricKeyType
    {
        /// <summary>P1_AES: an AES key object, usable for CMAC (kSE05x_P1_AES).</summary>
        Aes = 0x03,

        /// <summary>P1_HMAC: an HMAC key object (kSE05x_P1_HMAC).</summary>
        Hmac = 0x05,
    }
}
