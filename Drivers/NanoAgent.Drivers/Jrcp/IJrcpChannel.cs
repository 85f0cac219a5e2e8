namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>
    /// The bytes of a JRCP link: a TCP connection, or a serial port (the board link). The caller owns the buffers. Failures
    /// are values, not exceptions, so a serving loop on the device never unwinds through a broken port.
    /// </summary>
    public interface IJrcpChannel
    {
        /// <summary>Reads up to <paramref name="count"/> bytes, waiting at most <paramref name="timeoutMs"/> for the first.</summary>
        /// <param name="buffer">Where the bytes go.</param>
        /// <param name="offset">First byte to fill.</param>
        /// <param name="count">Most bytes to read (at least one).</param>
        /// <param name="timeoutMs">The longest wait in milliseconds (at least 1).</param>
        /// <returns>The bytes read; 0 when none came in time; -1 when the link is closed or broken.</returns>
        int Read(byte[] buffer, int offset, int count, int timeoutMs);

        /// <summary>Writes all <paramref name="count"/> bytes.</summary>
        /// <param name="buffer">The bytes.</param>
        /// <param name="offset">First byte to write.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>False when the link is closed or broken.</returns>
        bool Write(byte[] buffer, int offset, int count);
    }
}
