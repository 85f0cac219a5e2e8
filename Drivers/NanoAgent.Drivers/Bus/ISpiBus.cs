using System;

namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// One SPI device behind its chip-select line, shaped after nanoFramework's <c>System.Device.Spi.SpiDevice</c>
    /// with <c>byte[]</c>, offset and count. Chip select is asserted for the duration of each call.
    /// SPI has no acknowledge: a device that is not ready answers filler bytes the protocol must recognise.
    /// </summary>
    public interface ISpiBus : IDisposable
    {
        /// <summary>Gets the clock frequency in hertz.</summary>
        int ClockFrequency { get; }

        /// <summary>Clocks out <paramref name="count"/> bytes; whatever the device sends back is discarded.</summary>
        /// <param name="buffer">Source buffer.</param>
        /// <param name="offset">First byte to write.</param>
        /// <param name="count">Number of bytes to write.</param>
        /// <returns>The transfer result.</returns>
        BusTransferResult Write(byte[] buffer, int offset, int count);

        /// <summary>Clocks in <paramref name="count"/> bytes while sending filler.</summary>
        /// <param name="buffer">Destination buffer.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <param name="count">Number of bytes to read.</param>
        /// <returns>The transfer result.</returns>
        BusTransferResult Read(byte[] buffer, int offset, int count);

        /// <summary>Writes and reads <paramref name="count"/> bytes at the same time.</summary>
        /// <param name="writeBuffer">Source buffer.</param>
        /// <param name="writeOffset">First byte to write.</param>
        /// <param name="readBuffer">Destination buffer.</param>
        /// <param name="readOffset">Where the first read byte goes.</param>
        /// <param name="count">Number of bytes in each direction.</param>
        /// <returns>The transfer result.</returns>
        BusTransferResult TransferFullDuplex(byte[] writeBuffer, int writeOffset, byte[] readBuffer, int readOffset, int count);
    }
}
