using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>
    /// Moves whole GP T=1' frames over an <see cref="IFrameLink"/>: encodes and sends with guard times, and receives by polling
    /// (I2C: the SE NACKs while busy; SPI: it clocks filler until the NAD appears), prologue first, then INF and CRC
    /// (GPC_SPE_172 §3.1.5 and §3.2.5). Both buffers are allocated once.
    /// </summary>
    internal sealed class GpBlockLink
    {
        private const int MaxSendAttempts = 4;

        private readonly IFrameLink _link;
        private readonly IClock _clock;
        private readonly byte[] _tx;
        private readonly byte[] _rx;
        private long _lastTransfer;
        private int _txLength;

        public GpBlockLink(IFrameLink link, IClock clock, int maxInformationSize)
        {
            _link = link;
            _clock = clock;
            _tx = new byte[GpFrameCodec.Overhead + maxInformationSize];
            _rx = new byte[GpFrameCodec.Overhead + maxInformationSize];
            _lastTransfer = clock.Milliseconds;
        }

        /// <summary>Gets the receive buffer; a received frame starts at 0.</summary>
        public byte[] Rx
        {
            get { return _rx; }
        }

        /// <summary>Gets the PCB of the last block received.</summary>
        public byte Pcb
        {
            get { return _rx[1]; }
        }

        /// <summary>Gets the INF length of the last block received; INF starts at <see cref="GpFrameCodec.PrologueLength"/>.</summary>
        public int InfCount
        {
            get { return GpFrameCodec.InformationLength(_rx, 0); }
        }

        /// <summary>Gets the largest INF the buffers hold.</summary>
        public int Capacity
        {
            get { return _tx.Length - GpFrameCodec.Overhead; }
        }

        /// <summary>Gets or sets the pause between polls in milliseconds (MPOT).</summary>
        public int PollMs { get; set; }

        /// <summary>Gets or sets the guard time between two transfers in milliseconds (SEGT / RWGT, rounded up).</summary>
        public int GuardMs { get; set; }

        /// <summary>Encodes and sends a block; the frame stays in the transmit buffer for <see cref="Resend"/>.</summary>
        public void Send(byte pcb, byte[] inf, int infOffset, int infCount)
        {
            _txLength = GpFrameCodec.Encode(GpFrameCodec.HostToSeNad, pcb, inf, infOffset, infCount, _tx, 0);
            Resend();
        }

        /// <summary>Sends the last encoded frame again.</summary>
        /// <exception cref="BlockProtocolException">The device refused every attempt (NoDevice) or the bus failed (BusFault).</exception>
        public void Resend()
        {
            BusTransferStatus status = BusTransferStatus.UnknownError;
            for (int attempt = 0; attempt < MaxSendAttempts; attempt++)
            {
                Guard();
                status = _link.Send(_tx, 0, _txLength);
                _lastTransfer = _clock.Milliseconds;
                if (status == BusTransferStatus.FullTransfer)
                {
                    return;
                }

                _clock.Sleep(PollMs);
            }

            if (status == BusTransferStatus.AddressNotAcknowledged)
            {
                throw new BlockProtocolException(BlockProtocolError.NoDevice, "The SE on " + _link.Description + " does not acknowledge its address.");
            }

            throw new BlockProtocolException(BlockProtocolError.BusFault, "Writing to the SE on " + _link.Description + " keeps failing.");
        }

        /// <summary>Waits up to <paramref name="waitMs"/> for the SE's next block and reads it.</summary>
        public GpReceiveStatus Receive(int waitMs)
        {
            long deadline = _clock.Milliseconds + waitMs;
            bool spi = _link.AnswersFillerWhenBusy;
            int first = spi ? 1 : GpFrameCodec.PrologueLength;
            while (true)
            {
                // GPC_SPE_172 §3.x.5: wait MPOT after the last transfer before polling, and between polls.
                _clock.Sleep(PollMs);
                BusTransferStatus status = Transfer(0, first);
                if (status == BusTransferStatus.FullTransfer && (!spi || _rx[0] == GpFrameCodec.SeToHostNad))
                {
                    break;
                }

                if (status != BusTransferStatus.FullTransfer && status != BusTransferStatus.AddressNotAcknowledged)
                {
                    return GpReceiveStatus.BadFrame;
                }

                if (_clock.Milliseconds >= deadline)
                {
                    return GpReceiveStatus.Timeout;
                }
            }

            if (spi && Transfer(1, GpFrameCodec.PrologueLength - 1) != BusTransferStatus.FullTransfer)
            {
                return GpReceiveStatus.BadFrame;
            }

            int infCount = InfCount;
            if (_rx[0] != GpFrameCodec.SeToHostNad || infCount > Capacity)
            {
                return GpReceiveStatus.BadFrame;
            }

            if (Transfer(GpFrameCodec.PrologueLength, infCount + GpFrameCodec.CrcLength) != BusTransferStatus.FullTransfer)
            {
                return GpReceiveStatus.BadFrame;
            }

            return GpFrameCodec.CrcMatches(_rx, 0, infCount) ? GpReceiveStatus.Ok : GpReceiveStatus.CrcError;
        }

        private BusTransferStatus Transfer(int offset, int count)
        {
            Guard();
            BusTransferStatus status = _link.Receive(_rx, offset, count);
            _lastTransfer = _clock.Milliseconds;
            return status;
        }

        private void Guard()
        {
            long since = _clock.Milliseconds - _lastTransfer;
            if (since < GuardMs)
            {
                _clock.Sleep((int)(GuardMs - since));
            }
        }
    }
}
