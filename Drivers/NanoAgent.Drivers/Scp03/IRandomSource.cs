namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// A source of cryptographically strong random bytes for host challenges (GP Amd D §6.2.2: the host challenge must be
    /// unpredictable). The host implementation uses the operating system's generator; the device one uses the board's TRNG.
    /// </summary>
    public interface IRandomSource
    {
        /// <summary>Fills part of a buffer with random bytes.</summary>
        /// <param name="buffer">Buffer receiving the bytes.</param>
        /// <param name="offset">First byte to fill.</param>
        /// <param name="count">How many bytes to fill.</param>
        void Fill(byte[] buffer, int offset, int count);
    }
}
