namespace NanoAgent.Drivers.T1
{
    /// <summary>
    /// The block kind a PCB codes, common to ISO/IEC 7816-3 T=1 (§11.3.2.2), GP T=1' and SE05x T=1oI2C: bit 8 clear is an
    /// I-block, bits 8-7 = 10 an R-block, 11 an S-block. The per-protocol fields live in GpPcb and Se05xFrameCodec.
    /// </summary>
    public static class T1Pcb
    {
        /// <summary>Tells whether a PCB is an I-block's (bit 8 clear).</summary>
        /// <param name="pcb">The PCB.</param>
        /// <returns>True for an I-block.</returns>
        public static bool IsIBlock(byte pcb)
        {
            return (pcb & 0x80) == 0;
        }

        /// <summary>Tells whether a PCB is an R-block's (bits 8-7 = 10).</summary>
        /// <param name="pcb">The PCB.</param>
        /// <returns>True for an R-block.</returns>
        public static bool IsRBlock(byte pcb)
        {
            return (pcb & 0xC0) == 0x80;
        }

        /// <summary>Tells whether a PCB is an S-block's (bits 8-7 = 11).</summary>
        /// <param name="pcb">The PCB.</param>
        /// <returns>True for an S-block.</returns>
        public static bool IsSBlock(byte pcb)
        {
            return (pcb & 0xC0) == 0xC0;
        }
    }
}
