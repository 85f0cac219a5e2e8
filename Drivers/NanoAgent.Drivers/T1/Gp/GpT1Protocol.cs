using System;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>
    /// Host side of GlobalPlatform T=1' ("APDU Transport over SPI/I2C", GPC_SPE_172) over one <see cref="IFrameLink"/>:
    /// activation with S(CIP) and S(RESYNCH), chaining both ways, S(WTX)/S(IFS)/S(ABORT) from the SE, and error recovery after
    /// ISO/IEC 7816-3 §11.6.3 as GPC_SPE_172 §4.4 adopts it. Nothing is allocated per APDU.
    /// </summary>
    public sealed class GpT1Protocol : ISeTransport
    {
        private static readonly byte[] NoInf = new byte[0];

        private readonly IFrameLink _link;
        private readonly GpT1Options _options;
        private readonly GpBlockLink _blocks;
        private readonly GpExchange _exchange;
        private readonly GpSupervisor _supervisor;
        private readonly byte[] _sInf = new byte[2];
        private byte[] _cip;
        private bool _open;
        private int _ns;
        private int _nr;
        private int _ifsc;
        private int _ifsd;
        private int _bwtMs;
        private int _wtxMultiplier = 1;

        /// <summary>Creates the protocol; nothing is sent before <see cref="Open"/>.</summary>
        /// <param name="link">The bus to the SE; not owned.</param>
        /// <param name="clock">Time source for polling, guard times and waiting times.</param>
        /// <param name="options">Settings; defaults when null.</param>
        /// <exception cref="ArgumentNullException"><paramref name="link"/> or <paramref name="clock"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        public GpT1Protocol(IFrameLink link, IClock clock, GpT1Options options)
        {
            if (link == null)
            {
                throw new ArgumentNullException("link");
            }

            if (clock == null)
            {
                throw new ArgumentNullException("clock");
            }

            _options = options ?? new GpT1Options();
            if (_options.MaxInformationSize < 1 || _options.MaxInformationSize > GpFrameCodec.MaxIfs || _options.MaxRetries < 0
                || _options.DefaultBwtMs < 1 || _options.DefaultIfsc < 1 || _options.PollIntervalMs < 1)
            {
                throw new ArgumentOutOfRangeException("options");
            }

            _link = link;
            _blocks = new GpBlockLink(link, clock, _options.MaxInformationSize);
            _supervisor = new GpSupervisor(this);
            _exchange = new GpExchange(this, _supervisor);
            ResetParameters();
        }

        /// <inheritdoc />
        public string ProtocolName
        {
            get { return "GP T=1'"; }
        }

        /// <inheritdoc />
        public byte[] InterfaceBytes
        {
            get { return _cip; }
        }

        /// <summary>Gets the parameters parsed from the last CIP, or null before activation.</summary>
        public GpCip Cip { get; private set; }

        /// <inheritdoc />
        public int Ifsc
        {
            get { return _ifsc; }
        }

        /// <inheritdoc />
        public int Ifsd
        {
            get { return _ifsd; }
        }

        /// <inheritdoc />
        public byte[] Open()
        {
            ResetParameters();
            Cip = null;
            try
            {
                // Stacks in the field activate either way round; the SE answers both in any order (GPC_SPE_172 §4.5).
                if (_options.CipBeforeResynch)
                {
                    ReadCip();
                }
                else
                {
                    Resynchronize();
                }
            }
            catch (BlockProtocolException e)
            {
                if (e.Error == BlockProtocolError.Timeout)
                {
                    throw new BlockProtocolException(BlockProtocolError.NoDevice, "No GP T=1' SE answered on " + _link.Description + ".");
                }

                throw;
            }

            if (_options.CipBeforeResynch)
            {
                Resynchronize();
            }
            else
            {
                ReadCip();
            }

            _open = true;
            if (_options.NegotiateIfsd)
            {
                NegotiateIfsd(_options.Ifsd);
            }

            return _cip;
        }

        /// <inheritdoc />
        public void Resynchronize()
        {
            _supervisor.Exchange(GpSBlockType.Resynch, NoInf, 0);

            // ISO/IEC 7816-3 §11.6.2.3: S(RESYNCH) sets both sequence numbers back to zero.
            _ns = 0;
            _nr = 0;
        }

        /// <inheritdoc />
        public byte[] SoftReset()
        {
            _supervisor.Exchange(GpSBlockType.SoftwareReset, NoInf, 0);

            // GPC_SPE_172 §4.2.4.6: after SWR the SE is back to its defaults; read the CIP again before using it.
            ResetParameters();
            ReadCip();
            if (_options.NegotiateIfsd)
            {
                NegotiateIfsd(_options.Ifsd);
            }

            return _cip;
        }

        /// <inheritdoc />
        public void NegotiateIfsd(int ifsd)
        {
            if (ifsd < 1 || ifsd > _blocks.Capacity)
            {
                throw new ArgumentOutOfRangeException("ifsd");
            }

            int length = GpFrameCodec.EncodeIfs(ifsd, _sInf, 0);
            _supervisor.Exchange(GpSBlockType.Ifs, _sInf, length);
            if (GpFrameCodec.DecodeIfs(_blocks.Rx, GpFrameCodec.PrologueLength, _blocks.InfCount) != ifsd)
            {
                throw new BlockProtocolException(BlockProtocolError.ProtocolViolation, "The SE answered S(IFS) with another size than proposed.");
            }

            _ifsd = ifsd;
        }

        /// <inheritdoc />
        public void Close()
        {
            if (_open)
            {
                _open = false;
                _supervisor.Exchange(GpSBlockType.Release, NoInf, 0);
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _open = false;
        }

        /// <inheritdoc />
        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            if (!_open)
            {
                throw new BlockProtocolException(BlockProtocolError.NotOpen, "Open the GP T=1' link before sending APDUs.");
            }

            if (command == null || response == null)
            {
                throw new ArgumentNullException(command == null ? "command" : "response");
            }

            if (commandCount < 1 || commandOffset < 0 || commandOffset + commandCount > command.Length)
            {
                throw new BlockProtocolException(BlockProtocolError.CommandTooLarge, "The command APDU is empty or outside its buffer.");
            }

            return _exchange.Run(command, commandOffset, commandCount, response, responseOffset);
        }

        internal GpBlockLink Blocks
        {
            get { return _blocks; }
        }

        internal GpT1Options Options
        {
            get { return _options; }
        }

        internal int SendSequence
        {
            get { return _ns; }
            set { _ns = value; }
        }

        /// <summary>Sets the BWT multiplier granted by S(WTX) for the next wait only.</summary>
        internal int WtxMultiplier
        {
            set { _wtxMultiplier = value; }
        }

        /// <summary>Applies an IFSC the SE announced with S(IFS).</summary>
        internal void ApplySeIfsc(int ifsc)
        {
            _ifsc = ifsc < _blocks.Capacity ? ifsc : _blocks.Capacity;
        }

        internal int ReceiveSequence
        {
            get { return _nr; }
            set { _nr = value; }
        }

        /// <summary>Waits for the SE's next block, for BWT times any multiplier the last S(WTX) granted.</summary>
        internal GpReceiveStatus ReceiveBlock()
        {
            int wait = _bwtMs * _wtxMultiplier;
            _wtxMultiplier = 1;
            return _blocks.Receive(wait);
        }

        internal BlockProtocolException TryResynchronize()
        {
            try
            {
                Resynchronize();
                return null;
            }
            catch (BlockProtocolException e)
            {
                return e;
            }
        }

        private void ReadCip()
        {
            _supervisor.Exchange(GpSBlockType.Cip, NoInf, 0);
            int count = _blocks.InfCount;
            GpCip cip = GpCip.Parse(_blocks.Rx, GpFrameCodec.PrologueLength, count);
            bool spi = _link.AnswersFillerWhenBusy;
            if ((cip.PhysicalLayer == GpPhysicalLayer.Spi) != spi)
            {
                throw new BlockProtocolException(BlockProtocolError.InvalidInterfaceParameters, "The CIP names another physical layer than " + _link.Description + ".");
            }

            byte[] raw = new byte[count];
            Array.Copy(_blocks.Rx, GpFrameCodec.PrologueLength, raw, 0, count);
            _cip = raw;
            Cip = cip;
            _ifsc = cip.Ifsc < _blocks.Capacity ? cip.Ifsc : _blocks.Capacity;
            _bwtMs = cip.BwtMs;

            // GPC_SPE_172 §4.3.2: MPOT (×100 µs) spaces polls; SEGT (SPI) or RWGT (I2C) separates transfers. Rounded up to ms.
            int mpotMs = (cip.MinPollingTime100Us + 9) / 10;
            _blocks.PollMs = mpotMs > _options.PollIntervalMs ? mpotMs : _options.PollIntervalMs;
            _blocks.GuardMs = (cip.GuardTimeUs + 999) / 1000;
        }

        private void ResetParameters()
        {
            _ns = 0;
            _nr = 0;
            _ifsc = _options.DefaultIfsc < _blocks.Capacity ? _options.DefaultIfsc : _blocks.Capacity;
            _ifsd = GpFrameCodec.MaxOneByteIfs < _blocks.Capacity ? GpFrameCodec.MaxOneByteIfs : _blocks.Capacity;
            _bwtMs = _options.DefaultBwtMs;
            _wtxMultiplier = 1;
            _blocks.PollMs = _options.PollIntervalMs;
            _blocks.GuardMs = 0;
        }
    }
}
