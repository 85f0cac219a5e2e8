namespace NanoAgent.Drivers.T1
{
    /// <summary>
    /// Why a block-protocol exchange failed. Each cause has its own code; none is merged into another.
    /// </summary>
    public enum BlockProtocolError
    {
        /// <summary>The transport was used before <c>Open</c> or after <c>Dispose</c>.</summary>
        NotOpen = 1,

        /// <summary>The device never acknowledged its address (absent, unpowered, or wiring fault).</summary>
        NoDevice = 2,

        /// <summary>The bus reported a failure other than a NACK (clock stretch timeout, partial transfer, unknown).</summary>
        BusFault = 3,

        /// <summary>No block arrived within the block waiting time (extended by any WTX granted).</summary>
        Timeout = 4,

        /// <summary>Blocks kept arriving corrupt or out of sequence after every retransmission and resynchronisation allowed.</summary>
        RetriesExhausted = 5,

        /// <summary>The device sent a block that is well formed but not allowed at this point of the exchange.</summary>
        ProtocolViolation = 6,

        /// <summary>The device aborted the chain (S(ABORT)).</summary>
        Aborted = 7,

        /// <summary>The command is larger than this transport can carry, or empty.</summary>
        CommandTooLarge = 8,

        /// <summary>The response does not fit the caller's buffer; the link was resynchronised.</summary>
        ResponseTooLarge = 9,

        /// <summary>The ATR or CIP from the device is malformed or has values out of range.</summary>
        InvalidInterfaceParameters = 10,

        /// <summary>The device reset or lost its state during the exchange; the link was resynchronised and the command may not have run.</summary>
        DeviceReset = 11,
    }
}
