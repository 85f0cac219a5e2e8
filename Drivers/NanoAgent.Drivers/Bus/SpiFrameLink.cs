using System;

namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// <see cref="IFrameLink"/> over an SPI device: each send or receive is one chip-select cycle.
    /// SPI cannot refuse a transfer, so a busy device is seen as filler bytes where the NAD should be.
    /// </summary>
    public sealed class SpiFrameLink : IFrameLink, IDisposable
    {
        private readonly ISpiBus _bus;
        private readonly bool _ownsBus;

        /// <summary>Creates a link over <paramref name="bus"/>.</summary>
        /// <param name="bus">The SPI device.</param>
        /// <param name="ownsBus">Whether disposing the link disposes the bus.</param>
        /// <exception cref="ArgumentNullException"><paramref name="bus"/> is null.</exception>
        public SpiFrameLink(ISpiBus bus, bool ownsBus)
        {
            if (bus == null)
            {
                throw new ArgumentNullException("bus");
            }

            _bus = bus;
            _ownsBus = ownsBus;
        }

        /// <inheritdoc />
        public string Description
        {
            get { return "SPI"; }
        }

        /// <inheritdoc />
        public bool AnswersFillerWhenBusy
        {
            get { return true; }
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
