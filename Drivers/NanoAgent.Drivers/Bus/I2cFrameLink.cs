using System;

namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// <see cref="IFrameLink"/> over an I2C target: each send or receive is one I2C transaction.
    /// </summary>
    public sealed class I2cFrameLink : IFrameLink, IDisposable
    {
        private readonly II2cBus _bus;
        private readonly bool _ownsBus;
        private readonly string _description;

        /// <summary>Creates a link over <paramref name="bus"/>.</summary>
        /// <param name="bus">The I2C target.</param>
        /// <param name="ownsBus">Whether disposing the link disposes the bus.</param>
        /// <exception cref="ArgumentNullException"><paramref name="bus"/> is null.</exception>
        public I2cFrameLink(II2cBus bus, bool ownsBus)
        {
            if (bus == null)
            {
                throw new ArgumentNullException("bus");
            }

            _bus = bus;
            _ownsBus = ownsBus;
            _description = "I2C 0x" + bus.Address.ToString("X2");
        }

        /// <inheritdoc />
        public string Description
        {
            get { return _description; }
        }

        /// <inheritdoc />
        public bool AnswersFillerWhenBusy
        {
            get { return false; }
        }

        /// <inheritdoc />
        public BusTransferStatus Send(byte[] buffer, int offset, int count)
        {
            return _bus.Write(buffer, offset, count).Status;
        }

        /// <inheritdoc />
        public BusTransferStatus Receive(byte[] buffer, int offset, int count)
        {
            return _bus.Read(buffer, offset, count).Status;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_ownsBus)
            {
                _bus.Dispose();
            }
        }
    }
}
