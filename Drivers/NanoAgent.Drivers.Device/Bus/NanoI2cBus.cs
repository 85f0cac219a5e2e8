using System;
using System.Device.I2c;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Device.Bus
{
    /// <summary>
    /// <see cref="II2cBus"/> over nanoFramework's <see cref="I2cDevice"/>. The device API already returns a status
    /// (<c>I2cTransferResult</c>), so this only maps the enum and wraps the caller's slice in a <c>SpanByte</c> (a struct: no allocation).
    /// </summary>
    public sealed class NanoI2cBus : II2cBus
    {
        private readonly I2cDevice _device;
        private readonly bool _ownsDevice;
        private readonly int _address;

        /// <summary>Wraps an open device.</summary>
        /// <param name="device">The device.</param>
        /// <param name="address">The 7-bit address it was opened with.</param>
        /// <param name="ownsDevice">Whether disposing this bus disposes <paramref name="device"/>.</param>
        /// <exception cref="ArgumentNullException"><paramref name="device"/> is null.</exception>
        public NanoI2cBus(I2cDevice device, int address, bool ownsDevice)
        {
            if (device == null)
            {
                throw new ArgumentNullException("device");
            }

            _device = device;
            _address = address;
            _ownsDevice = ownsDevice;
        }

        /// <inheritdoc />
        public int Address
        {
            get { return _address; }
        }

        /// <summary>Opens the target at <paramref name="address"/> on bus <paramref name="busId"/>. On ESP32, route the pins first with Configuration.SetPinFunction.</summary>
        /// <param name="busId">The bus id (1 for I2C1).</param>
        /// <param name="address">The 7-bit address (SE05x: 0x48).</param>
        /// <param name="speed">The bus speed.</param>
        /// <returns>The bus, owning its device.</returns>
        public static NanoI2cBus Open(int busId, int address, I2cBusSpeed speed)
        {
            return new NanoI2cBus(I2cDevice.Create(new I2cConnectionSettings(busId, address, speed)), address, true);
        }

        /// <inheritdoc />
        public BusTransferResult Write(byte[] buffer, int offset, int count)
        {
            return Map(_device.Write(new SpanByte(buffer, offset, count)));
        }

        /// <inheritdoc />
        public BusTransferResult Read(byte[] buffer, int offset, int count)
        {
            return Map(_device.Read(new SpanByte(buffer, offset, count)));
        }

        /// <inheritdoc />
        public BusTransferResult WriteRead(byte[] writeBuffer, int writeOffset, int writeCount, byte[] readBuffer, int readOffset, int readCount)
        {
            return Map(_device.WriteRead(new SpanByte(writeBuffer, writeOffset, writeCount), new SpanByte(readBuffer, readOffset, readCount)));
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_ownsDevice)
            {
                _device.Dispose();
            }
        }

        private static BusTransferResult Map(I2cTransferResult result)
        {
            BusTransferStatus status;
            switch (result.Status)
            {
                case I2cTransferStatus.FullTransfer:
                    status = BusTransferStatus.FullTransfer;
                    break;
                case I2cTransferStatus.PartialTransfer:
                    status = BusTransferStatus.PartialTransfer;
                    break;
                case I2cTransferStatus.SlaveAddressNotAcknowledged:
                    status = BusTransferStatus.AddressNotAcknowledged;
                    break;
                case I2cTransferStatus.ClockStretchTimeout:
                    status = BusTransferStatus.ClockStretchTimeout;
                    break;
                default:
                    status = BusTransferStatus.UnknownError;
                    break;
            }

            return new BusTransferResult(status, (int)result.BytesTransferred);
        }
    }
}
