using System;
using System.Device.Spi;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Device.Bus
{
    /// <summary>
    /// <see cref="ISpiBus"/> over nanoFramework's <see cref="SpiDevice"/> (mode 0, 8-bit words). Reads clock out 0xFF filler
    /// from a buffer allocated once here.
    /// </summary>
    public sealed class NanoSpiBus : ISpiBus
    {
        private readonly SpiDevice _device;
        private readonly bool _ownsDevice;
        private readonly int _clockFrequency;
        private readonly byte[] _filler;

        /// <summary>Wraps an open device.</summary>
        /// <param name="device">The device.</param>
        /// <param name="clockFrequency">The clock it was opened with, in hertz.</param>
        /// <param name="maxTransfer">The largest read, for the filler buffer.</param>
        /// <param name="ownsDevice">Whether disposing this bus disposes <paramref name="device"/>.</param>
        /// <exception cref="ArgumentNullException"><paramref name="device"/> is null.</exception>
        public NanoSpiBus(SpiDevice device, int clockFrequency, int maxTransfer, bool ownsDevice)
        {
            if (device == null)
            {
                throw new ArgumentNullException("device");
            }

            _device = device;
            _clockFrequency = clockFrequency;
            _ownsDevice = ownsDevice;
            _filler = new byte[maxTransfer];
            for (int i = 0; i < _filler.Length; i++)
            {
                _filler[i] = 0xFF;
            }
        }

        /// <inheritdoc />
        public int ClockFrequency
        {
            get { return _clockFrequency; }
        }

        /// <summary>Opens SPI bus <paramref name="busId"/> with chip select on GPIO <paramref name="chipSelectPin"/>.</summary>
        /// <param name="busId">The bus id (1 for SPI1).</param>
        /// <param name="chipSelectPin">The chip-select GPIO number.</param>
        /// <param name="clockFrequency">The clock in hertz.</param>
        /// <param name="maxTransfer">The largest read.</param>
        /// <returns>The bus, owning its device.</returns>
        public static NanoSpiBus Open(int busId, int chipSelectPin, int clockFrequency, int maxTransfer)
        {
            SpiConnectionSettings settings = new SpiConnectionSettings(busId, chipSelectPin);
            settings.ClockFrequency = clockFrequency;
            settings.Mode = SpiMode.Mode0;
            settings.DataBitLength = 8;
            return new NanoSpiBus(SpiDevice.Create(settings), clockFrequency, maxTransfer, true);
        }

        /// <inheritdoc />
        public BusTransferResult Write(byte[] buffer, int offset, int count)
        {
            _device.Write(new SpanByte(buffer, offset, count));
            return new BusTransferResult(BusTransferStatus.FullTransfer, count);
        }

        /// <inheritdoc />
        public BusTransferResult Read(byte[] buffer, int offset, int count)
        {
            if (count > _filler.Length)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            _device.TransferFullDuplex(new SpanByte(_filler, 0, count), new SpanByte(buffer, offset, count));
            return new BusTransferResult(BusTransferStatus.FullTransfer, count);
        }

        /// <inheritdoc />
        public BusTransferResult TransferFullDuplex(byte[] writeBuffer, int writeOffset, byte[] readBuffer, int readOffset, int count)
        {
            _device.TransferFullDuplex(new SpanByte(writeBuffer, writeOffset, count), new SpanByte(readBuffer, readOffset, count));
            return new BusTransferResult(BusTransferStatus.FullTransfer, count);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_ownsDevice)
            {
                _device.Dispose();
            }
        }
    }
}
