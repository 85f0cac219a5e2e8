using System;

namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// One I2C target at a fixed address, shaped after nanoFramework's <c>System.Device.I2c.I2cDevice</c>
    /// but with <c>byte[]</c>, offset and count so every platform can implement it without Span.
    /// Failures are reported in the result, not thrown.
    /// </summary>
    public interface II2cBus : IDisposable
    {
        /// <summary>Gets the 7-bit target address.</summary>
        int Address { get; }

        /// <summary>Writes <paramref name="count"/> bytes in one transaction.</summary>
        /// <param name="buffer">Source buffer.</param>
        /// <param name="offset">First byte to write.</param>
        /// <param name="count">Number of bytes to write.</param>
        /// <returns>The transfer result.</returns>
        BusTransferResult Write(byte[] buffer, int offset, int count);

        /// <summary>Reads <paramref name="count"/> bytes in one transaction.</summary>
        /// <param name="buffer">Destination buffer.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <param name="count">Number of bytes to read.</param>
        /// <returns>The transfer result.</returns>
        BusTransferResult Read(byte[] buffer, int offset, int count);

        /// <summary>Writes then reads with a repeated start.</summary>
        /// <param name="writeBuffer">Source buffer.</param>
        /// <param name="writeOffset">First byte to write.</param>
        /// <param name="writeCount">Number of bytes to write.</param>
        /// <param name="readBuffer">Destination buffer.</param>
        /// <param name="readOffset">Where the first read byte goes.</param>
        /// <param name="readCount">Number of bytes to read.</param>
        /// <returns>The transfer result.</returns>
        BusTransferResult WriteRead(byte[] writeBuffer, int writeOffset, int writeCount, byte[] readBuffer, int readOffset, int readCount);
    }
}
