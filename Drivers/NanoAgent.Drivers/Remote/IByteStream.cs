namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// A connected, ordered byte stream (a TCP socket on the host or the device). The caller owns the buffers.
    /// </summary>
    public interface IByteStream
    {
        /// <summary>Reads up to <paramref name="count"/> bytes, blocking until at least one arrives.</summary>
        /// <param name="buffer">Where the bytes go.</param>
        /// <param name="offset">First byte to fill.</param>
        /// <param name="count">Most bytes to read (at least one).</param>
        /// <returns>The number of bytes read; 0 when the peer has closed the stream.</returns>
        /// <exception cref="RemoteException">The stream failed (<see cref="RemoteError.Network"/>).</exception>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Writes all <paramref name="count"/> bytes.</summary>
        /// <param name="buffer">The bytes.</param>
        /// <param name="offset">First byte to write.</param>
        /// <param name="count">Number of bytes.</param>
        /// <exception cref="RemoteException">The stream failed (<see cref="RemoteError.Network"/>).</exception>
        void Write(byte[] buffer, int offset, int count);
    }
}
