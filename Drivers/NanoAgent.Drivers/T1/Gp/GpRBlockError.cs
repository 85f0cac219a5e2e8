namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>
    /// Error indication carried in the low bits of an R-block PCB (ISO/IEC 7816-3 §11.3.2.2, adopted by GPC_SPE_172).
    /// </summary>
    public enum GpRBlockError
    {
        /// <summary>Error-free acknowledgement.</summary>
        None = 0,

        /// <summary>The last block arrived with a bad CRC.</summary>
        Crc = 1,

        /// <summary>Any other error: bad length, unexpected block, lost block.</summary>
        Other = 2,
    }
}
