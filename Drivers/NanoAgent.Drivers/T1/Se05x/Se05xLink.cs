using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.T1.Se05x
{
    /// <summary>
    /// Frame I/O of SE05x T=1 over I2C: writes with address-NACK retries and reads a frame the way NXP's host stack
    /// does (phNxpEse_Api.c, phNxpEse_readPacket): poll NAD+PCB every poll delay while the SE NACKs or the NAD is not
    /// 0xA5, then read LEN, then INF and CRC. Buffers are allocated once.
    /// </summary>
    internal sealed class Se05xLink
    {
        /// <summary>A well-formed frame is in <see cref="Rx"/>.</summary>
        internal const int Ok = 0;

        /// <summary>No frame started within the wait.</summary>
        internal const int Timeout = 1;

        /// <summary>A frame arrived but its length or CRC is wrong.</summary>
        internal const int BadFrame = 2;

        private readonly IFrameLink _link;
        private readonly IClock _clock;
        private readonly Se05xT1Options _options;

        internal Se05xLink(IFrameLink link, IClock clock, Se05xT1Options options)
        {
            _link = link;
            _clock = clock;
            _options = options;
            Rx = new byte[Se05xFrameCodec.MaxFrame];
        }

        /// <summary>Gets the last frame received.</summary>
        internal byte[] Rx { get; private set; }

        /// <summary>Gets whether the last bad frame failed its CRC (as opposed to its length).</summary>
        internal bool LastBadWasCrc { get; private set; }

        /// <summary>Gets whether the last wait saw bus errors other than NACKs.</summary>
        internal bool SawBusFault { get; private set; }

        /// <summary>Writes one frame, retrying while the SE refuses its address.</summary>
        /// <exception cref="BlockProtocolException">NoDevice or BusFault once the retries are spent.</exception>
        internal void Send(byte[] frame, int length)
        {
            bool onlyNacks = true;
            for (int attempt = 0; attempt <= _options.AddressNackRetries; attempt++)
            {
                BusTransferStatus status = _link.Send(frame, 0, length);
                if (status == BusTransferStatus.FullTransfer)
                {
                    return;
                }

                onlyNacks &= status == BusTransferStatus.AddressNotAcknowledged;
                _clock.Sleep(_options.PollDelayMilliseconds);
            }

            if (onlyNacks)
            {
                throw new BlockProtocolException(BlockProtocolError.NoDevice, "The SE05x on " + _link.Description + " does not acknowledge its address.");
            }

            throw new BlockProtocolException(BlockProtocolError.BusFault, "Writing to the SE05x on " + _link.Description + " keeps failing.");
        }

        /// <summary>Waits up to <paramref name="waitMilliseconds"/> for a frame and reads it into <see cref="Rx"/>.</summary>
        /// <returns><see cref="Ok"/>, <see cref="Timeout"/> or <see cref="BadFrame"/>.</returns>
        internal int Receive(int waitMilliseconds)
        {
            long deadline = _clock.Milliseconds + waitMilliseconds;
            SawBusFault = false;
            while (true)
            {
                BusTransferStatus status = _link.Receive(Rx, 0, 2);
                if (status == BusTransferStatus.FullTransfer && Rx[0] == Se05xFrameCodec.NadSeToHost)
                {
                    break;
                }

                if (status != BusTransferStatus.FullTransfer && status != BusTransferStatus.AddressNotAcknowledged)
                {
                    SawBusFault = true;
                }

                if (_clock.Milliseconds >= deadline)
                {
                    return Timeout;
                }

                _clock.Sleep(_options.PollDelayMilliseconds);
            }

            LastBadWasCrc = false;
            if (_link.Receive(Rx, 2, 1) != BusTransferStatus.FullTransfer || Rx[2] > Se05xFrameCodec.MaxInf)
            {
                return BadFrame;
            }

            int rest = Rx[2] + Se05xFrameCodec.CrcLength;
            if (_link.Receive(Rx, Se05xFrameCodec.HeaderLength, rest) != BusTransferStatus.FullTransfer)
            {
                return BadFrame;
            }

            if (!Se05xFrameCodec.IsValid(Rx, Se05xFrameCodec.HeaderLength + rest))
            {
                LastBadWasCrc = true;
                return BadFrame;
            }

            return Ok;
        }
    }
}
