namespace NanoAgent.Drivers.T1.Se05x
{
    /// <summary>
    /// S-block types of SE05x T=1 over I2C (UM11225; same values in NXP's Plug and Trust host stack,
    /// phNxpEseProto7816_3.h). A request PCB is <c>0xC0 | type</c>, a response <c>0xE0 | type</c>.
    /// </summary>
    public enum Se05xSBlockType
    {
        /// <summary>Resets the block sequence numbers on both sides.</summary>
        Resynch = 0x00,

        /// <summary>Announces a new information field size (IFSC from the SE, IFSD from the host).</summary>
        Ifs = 0x01,

        /// <summary>Aborts a chain in progress.</summary>
        Abort = 0x02,

        /// <summary>Waiting time extension: the SE needs more time; INF holds the BWT multiplier.</summary>
        Wtx = 0x03,

        /// <summary>Proprietary: the host has finished its APDU session (lets the SE save power).</summary>
        EndOfApduSession = 0x05,

        /// <summary>Proprietary: resets the whole chip.</summary>
        ChipReset = 0x06,

        /// <summary>Proprietary: asks for the ATR without resetting anything.</summary>
        GetAtr = 0x07,

        /// <summary>Proprietary: resets the T=1 interface and answers the ATR.</summary>
        InterfaceSoftReset = 0x0F,
    }
}
