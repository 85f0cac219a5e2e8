using System;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.T1.Se05x
{
    /// <summary>
    /// Host side of NXP SE05x T=1 over I2C (UM11225) as an <see cref="ISeTransport"/>: activation by interface soft
    /// reset or RESYNCH + GET ATR, chaining at IFSC both ways, WTX/IFS/ABORT from the SE, and error recovery after
    /// ISO/IEC 7816-3 §11.6.3 as NXP's host stack does it (R(NACK) at most <see cref="Se05xT1Options.CrcRetryLimit"/>
    /// times, then S(RESYNCH), then S(INTERFACE SOFT RESET)). Buffers are allocated once; an APDU allocates nothing.
    /// </summary>
    public sealed class Se05xT1Protocol : ISeTransport
    {
        private readonly Se05xLink _io;
        private readonly IFrameLink _link;
        private readonly bool _ownsLink;
        private readonly Se05xT1Options _options;
        private readonly Se05xBlockEngine _engine;
        private byte[] _atr;

        /// <summary>Creates the protocol; call <see cref="Open"/> before anything else.</summary>
        /// <param name="link">The bus to the SE.</param>
        /// <param name="clock">Time source for polling and the block waiting time.</param>
        /// <param name="options">Timing and retry settings; defaults if null.</param>
        /// <param name="ownsLink">Whether <see cref="Dispose"/> disposes <paramref name="link"/> (when it is disposable).</param>
        /// <exception cref="ArgumentNullException"><paramref name="link"/> or <paramref name="clock"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        public Se05xT1Protocol(IFrameLink link, IClock clock, Se05xT1Options options, bool ownsLink)
        {
            if (link == null)
            {
                throw new ArgumentNullException("link");
            }

            if (clock == null)
            {
                throw new ArgumentNullException("clock");
            }

            _options = options ?? new Se05xT1Options();
            if (_options.PollDelayMilliseconds < 1 || _options.AddressNackRetries < 0 || _options.CrcRetryLimit < 0
                || _options.DefaultBwtMilliseconds < 1 || _options.MaxResponseLength < 2 || _options.MaxWtxRequests < 0)
            {
                throw new ArgumentOutOfRangeException("options");
            }

            _link = link;
            _ownsLink = ownsLink;
            _io = new Se05xLink(link, clock, _options);
            _engine = new Se05xBlockEngine(_io, _options);
        }

        /// <inheritdoc />
        public string ProtocolName
        {
            get { return "SE05x T=1oI2C"; }
        }

        /// <inheritdoc />
        public byte[] InterfaceBytes
        {
            get { return _atr; }
        }

        /// <summary>Gets the ATR read at the last activation, parsed, or null before.</summary>
        public Se05xAtr Atr { get; private set; }

        /// <inheritdoc />
        public int Ifsc
        {
            get { return _engine.Ifsc; }
        }

        /// <inheritdoc />
        public int Ifsd
        {
            get { return _engine.Ifsd; }
        }

        /// <summary>Gets the block waiting time now in force, in milliseconds.</summary>
        public int BwtMilliseconds
        {
            get { return _engine.BwtMilliseconds; }
        }

        /// <summary>Gets whether the link is open.</summary>
        public bool IsOpen { get; private set; }

        /// <inheritdoc />
        public byte[] Open()
        {
            IsOpen = true;
            try
            {
                if (_options.OpenWithSoftReset)
                {
                    return SoftReset();
                }

                Resynchronize();
                return ReadAtr();
            }
            catch (BlockProtocolException)
            {
                IsOpen = false;
                throw;
            }
        }

        /// <inheritdoc />
        public void Resynchronize()
        {
            EnsureOpen();
            _engine.Control(Se05xSBlockType.Resynch, 0, false);
        }

        /// <inheritdoc />
        public byte[] SoftReset()
        {
            EnsureOpen();
            _engine.Control(Se05xSBlockType.InterfaceSoftReset, 0, false);
            return ApplyAtr();
        }

        /// <summary>Reads the ATR with S(GET ATR) without resetting anything, and applies its IFSC and BWT.</summary>
        /// <returns>The raw ATR.</returns>
        /// <exception cref="BlockProtocolException">The SE did not answer or the ATR is malformed.</exception>
        public byte[] ReadAtr()
        {
            EnsureOpen();
            _engine.Control(Se05xSBlockType.GetAtr, 0, false);
            return ApplyAtr();
        }

        /// <summary>Resets the whole chip with S(CHIP RESET). The link is closed afterwards: call <see cref="Open"/> again.</summary>
        /// <exception cref="BlockProtocolException">The SE did not answer.</exception>
        public void ChipReset()
        {
            EnsureOpen();
            _engine.Control(Se05xSBlockType.ChipReset, 0, false);
            IsOpen = false;
        }

        /// <inheritdoc />
        public void NegotiateIfsd(int ifsd)
        {
            if (ifsd < 1 || ifsd > Se05xFrameCodec.MaxInf)
            {
                throw new ArgumentOutOfRangeException("ifsd");
            }

            EnsureOpen();
            _engine.Control(Se05xSBlockType.Ifs, ifsd, true);
            byte[] rx = _io.Rx;
            if (rx[2] != 1 || rx[3] != ifsd)
            {
                throw new BlockProtocolException(BlockProtocolError.ProtocolViolation, "The SE05x answered S(IFS) with another size.");
            }

            _engine.Ifsd = ifsd;
        }

        /// <summary>Ends the APDU session with S(END OF APDU SESSION); the link stays open.</summary>
        /// <exception cref="BlockProtocolException">The SE did not answer.</exception>
        public void Close()
        {
            EnsureOpen();
            _engine.Control(Se05xSBlockType.EndOfApduSession, 0, false);
        }

        /// <inheritdoc />
        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            if (command == null || response == null)
            {
                throw new ArgumentNullException(command == null ? "command" : "response");
            }

            if (commandOffset < 0 || commandCount < 0 || commandOffset + commandCount > command.Length || responseOffset < 0 || responseOffset > response.Length)
            {
                throw new ArgumentOutOfRangeException("commandCount");
            }

            EnsureOpen();
            if (commandCount == 0)
            {
                throw new BlockProtocolException(BlockProtocolError.CommandTooLarge, "An empty command cannot be sent.");
            }

            int capacity = response.Length - responseOffset;
            if (capacity > _options.MaxResponseLength)
            {
                capacity = _options.MaxResponseLength;
            }

            return _engine.Exchange(command, commandOffset, commandCount, response, responseOffset, capacity);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            IsOpen = false;
            IDisposable disposable = _link as IDisposable;
            if (_ownsLink && disposable != null)
            {
                disposable.Dispose();
            }
        }

        private byte[] ApplyAtr()
        {
            byte[] rx = _io.Rx;
            Se05xAtr atr = Se05xAtr.Parse(rx, Se05xFrameCodec.HeaderLength, rx[2]);
            byte[] raw = new byte[rx[2]];
            Array.Copy(rx, Se05xFrameCodec.HeaderLength, raw, 0, raw.Length);
            _engine.ApplyInterfaceParameters(atr.Ifsc, atr.BwtMilliseconds);
            _atr = raw;
            Atr = atr;
            return raw;
        }

        private void EnsureOpen()
        {
            if (!IsOpen)
            {
                throw new BlockProtocolException(BlockProtocolError.NotOpen, "The SE05x link is not open: call Open first.");
            }
        }
    }
}
