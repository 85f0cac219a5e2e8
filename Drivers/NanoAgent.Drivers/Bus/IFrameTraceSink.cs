namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// Receives every transfer a <see cref="TracingFrameLink"/> sees. The bytes are only valid during the call:
    /// a sink that keeps them must copy them.
    /// </summary>
    public interface IFrameTraceSink
    {
        /// <summary>Reports one transfer.</summary>
        /// <param name="direction">Which way the bytes went.</param>
        /// <param name="buffer">The buffer of the transfer.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Bytes requested.</param>
        /// <param name="status">The bus status; on a refused transfer the bytes mean nothing.</param>
        /// <param name="milliseconds">The clock when the transfer ended.</param>
        void OnTransfer(FrameDirection direction, byte[] buffer, int offset, int count, BusTransferStatus status, long milliseconds);
    }
}
