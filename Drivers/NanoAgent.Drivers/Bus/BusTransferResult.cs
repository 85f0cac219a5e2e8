namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// Result of one bus transaction: a status and the number of bytes moved (after nanoFramework's <c>I2cTransferResult</c>).
    /// </summary>
    public struct BusTransferResult
    {
        /// <summary>Creates a result.</summary>
        /// <param name="status">The transfer status.</param>
        /// <param name="bytesTransferred">How many bytes were transferred.</param>
        public BusTransferResult(BusTransferStatus status, int bytesTransferred)
        {
            Status = status;
            BytesTransferred = bytesTransferred;
        }

        /// <summary>Gets the transfer status.</summary>
        public BusTransferStatus Status { get; }

        /// <summary>Gets how many bytes were transferred.</summary>
        public int BytesTransferred { get; }

        /// <summary>Gets a value indicating whether every requested byte was transferred.</summary>
        public bool IsComplete
        {
            get { return Status == BusTransferStatus.FullTransfer; }
        }
    }
}
