namespace NanoAgent.Drivers.Se05x
{
    /// <summary>MAC algorithms of MACOneShot, AN12413 MACAlgo table (se05x_enums.h SE05x_MACAlgo_t).</summary>
    public enum Se05xMacAlgorithm
    {
        /// <summary>HMAC-SHA256 over an HMAC key object (kSE05x_MACAlgo_HMAC_SHA256); 32-byte MAC.</summary>
        HmacSha256 = 0x19,

        /// <summary>AES CMAC with a 16-byte MAC over an AES key object (kSE05x_MACAlgo_CMAC_128).</summary>
        Cmac128 = 0x31,
    }
}
