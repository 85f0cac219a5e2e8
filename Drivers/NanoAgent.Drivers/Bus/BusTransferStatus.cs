namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// Outcome of one bus transaction, after nanoFramework's <c>I2cTransferStatus</c>.
    /// </summary>
    public enum BusTransferStatus
    {
        /// <summary>All requested bytes were transferred.</summary>
        FullTransfer = 0,

        /// <summary>Some, but not all, bytes were transferred.</summary>
        PartialTransfer = 1,

        /// <summary>The device did not acknowledge its address (absent, or busy and refusing the transfer).</summary>
        AddressNotAcknowledged = 2,

        /// <summary>The device held the clock low for too long.</summary>
        ClockStretchTimeout = 3,

        /// <summary>Any other bus failure.</summary>
        UnknownError = 4,
    }
}
