namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>
    /// S-block functions of GP T=1' (GPC_SPE_172 §4.2 "S-block"): the low five bits of an S-block PCB.
    /// A response carries the request's value with bit 6 (0x20) set.
    /// </summary>
    public enum GpSBlockType
    {
        /// <summary>Resets the send and receive sequence numbers on both sides.</summary>
        Resynch = 0x00,

        /// <summary>Announces a new maximum information field size (1 byte if ≤ 0xFE, else 2 bytes).</summary>
        Ifs = 0x01,

        /// <summary>Aborts the chain in progress.</summary>
        Abort = 0x02,

        /// <summary>The SE asks for a waiting time extension (INF: 1-byte BWT multiplier).</summary>
        Wtx = 0x03,

        /// <summary>The host asks for the Communication Interface Parameters.</summary>
        Cip = 0x04,

        /// <summary>The host ends the session; the SE may enter power saving.</summary>
        Release = 0x06,

        /// <summary>Software reset of the SE's interface (sequence numbers, IFS and chains back to defaults).</summary>
        SoftwareReset = 0x0F,
    }
}
