using System;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>
    /// Reaches an SE lent over JRCP v1 (a board's serial link, or <c>nanoagent serve --jrcp</c>) as an
    /// <see cref="ISeTransport"/>, the way NXP's clients do (<c>smComSocket_fd.c</c>): <see cref="Open"/> sends
    /// WAIT_FOR_CARD and takes the ATR, <see cref="Transceive"/> sends APDU_DATA, <see cref="Close"/> sends CLOSE. The
    /// block protocol runs on the far side, so resynchronisation and IFS negotiation have nothing to do here, and
    /// <see cref="SoftReset"/> only reads the ATR again (the lender never resets a shared SE). A response of exactly
    /// 70 03 is the lender's "cannot reach the SE" (<c>ERR_COMM_ERROR</c>, vcom2i2c.c) and becomes
    /// <see cref="BlockProtocolError.NoDevice"/>.
    /// </summary>
    public sealed class JrcpClientTransport : ISeTransport
    {
        private readonly IJrcpChannel _channel;
        private readonly IClock _clock;
        private readonly int _timeoutMs;
        private readonly string _where;
        private readonly JrcpFrameReader _reader;
        private readonly byte[] _tx;
        private readonly byte[] _rx = new byte[256];
        private byte[] _atr;

        /// <summary>Creates the transport over a link it does not own.</summary>
        /// <param name="channel">The link.</param>
        /// <param name="clock">The clock for the answer timeout.</param>
        /// <param name="timeoutMs">The longest wait for an answer in milliseconds.</param>
        /// <param name="where">A description of the link for reports, such as "board link /dev/ttyACM0".</param>
        /// <exception cref="ArgumentNullException">A required argument is null.</exception>
        public JrcpClientTransport(IJrcpChannel channel, IClock clock, int timeoutMs, string where)
        {
            if (channel == null || clock == null)
            {
                throw new ArgumentNullException(channel == null ? "channel" : "clock");
            }

            _channel = channel;
            _clock = clock;
            _timeoutMs = timeoutMs;
            _where = where;
            _reader = new JrcpFrameReader(JrcpFraming.MaxLength);
            _tx = new byte[JrcpFraming.HeaderLength + JrcpFraming.MaxLength];
        }

        /// <inheritdoc />
        public string ProtocolName
        {
            get { return "JRCP v1"; }
        }

        /// <inheritdoc />
        public byte[] InterfaceBytes
        {
            get { return _atr; }
        }

        /// <inheritdoc />
        public int Ifsc
        {
            get { return JrcpFraming.DefaultMaxPayload; }
        }

        /// <inheritdoc />
        public int Ifsd
        {
            get { return JrcpFraming.MaxLength; }
        }

        /// <inheritdoc />
        public byte[] Open()
        {
            // smComSocket_fd.c GetATRFD: WAIT_FOR_CARD with a four-byte big-endian wait of 256 ms.
            _tx[4] = 0;
            _tx[5] = 0;
            _tx[6] = 1;
            _tx[7] = 0;
            Exchange(JrcpMessageType.WaitForCard, 4, JrcpMessageType.WaitForCard);
            if (_reader.PayloadLength == 0)
            {
                throw new BlockProtocolException(BlockProtocolError.NoDevice, "The far side of " + _where + " answered without an ATR: its SE cannot be reached.");
            }

            byte[] atr = new byte[_reader.PayloadLength];
            Array.Copy(_reader.Buffer, JrcpFraming.HeaderLength, atr, 0, atr.Length);
            _atr = atr;
            return atr;
        }

        /// <inheritdoc />
        public void Resynchronize()
        {
        }

        /// <inheritdoc />
        public byte[] SoftReset()
        {
            return Open();
        }

        /// <inheritdoc />
        public void NegotiateIfsd(int ifsd)
        {
        }

        /// <inheritdoc />
        public void Close()
        {
            Exchange(JrcpMessageType.Close, 0, JrcpMessageType.Close);
        }

        /// <inheritdoc />
        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            if (command == null || response == null)
            {
                throw new ArgumentNullException(command == null ? "command" : "response");
            }

            if (commandCount == 0 || commandCount > JrcpFraming.DefaultMaxPayload)
            {
                throw new BlockProtocolException(BlockProtocolError.CommandTooLarge, "A command of " + commandCount + " bytes does not fit a JRCP message (1 to "
                    + JrcpFraming.DefaultMaxPayload + ").");
            }

            Array.Copy(command, commandOffset, _tx, JrcpFraming.HeaderLength, commandCount);
            Exchange(JrcpMessageType.ApduData, commandCount, JrcpMessageType.ApduData);
            int n = _reader.PayloadLength;
            byte[] rx = _reader.Buffer;
            if (n == 2 && rx[4] == 0x70 && rx[5] == 0x03)
            {
                throw new BlockProtocolException(BlockProtocolError.NoDevice, "The far side of " + _where + " could not exchange the APDU with its SE (70 03).");
            }

            if (n < 2)
            {
                throw new BlockProtocolException(BlockProtocolError.ProtocolViolation, "The far side of " + _where + " answered an APDU with " + n + " bytes.");
            }

            if (n > response.Length - responseOffset)
            {
                throw new BlockProtocolException(BlockProtocolError.ResponseTooLarge, "The response of " + n + " bytes does not fit the buffer.");
            }

            Array.Copy(rx, JrcpFraming.HeaderLength, response, responseOffset, n);
            return n;
        }

        /// <inheritdoc />
        public void Dispose()
        {
        }

        private void Exchange(byte type, int payload, byte expected)
        {
            JrcpFraming.WriteHeader(_tx, 0, type, 0x00, payload);
            if (!_channel.Write(_tx, 0, JrcpFraming.HeaderLength + payload))
            {
                throw new BlockProtocolException(BlockProtocolError.BusFault, "Could not write to " + _where + ".");
            }

            _reader.Reset();
            long deadline = _clock.Milliseconds + _timeoutMs;
            while (!_reader.IsComplete)
            {
                long left = deadline - _clock.Milliseconds;
                if (left <= 0)
                {
                    throw new BlockProtocolException(BlockProtocolError.Timeout, "No answer on " + _where + " within " + _timeoutMs + " ms.");
                }

                int n = _channel.Read(_rx, 0, _rx.Length, left > 200 ? 200 : (int)left);
                if (n < 0)
                {
                    throw new BlockProtocolException(BlockProtocolError.BusFault, "The link " + _where + " closed.");
                }

                int at = 0;
                while (at < n && !_reader.IsComplete)
                {
                    at += _reader.Push(_rx, at, n - at);
                }
            }

            if (_reader.Type == JrcpMessageType.ErrorMessage && expected != JrcpMessageType.ErrorMessage)
            {
                throw new BlockProtocolException(BlockProtocolError.ProtocolViolation, "The far side of " + _where + " refused the message: " + Text());
            }

            if (_reader.Type != expected)
            {
                throw new BlockProtocolException(BlockProtocolError.ProtocolViolation, "The far side of " + _where + " answered with message type 0x"
                    + _reader.Type.ToString("X2") + " instead of 0x" + expected.ToString("X2") + ".");
            }
        }

        private string Text()
        {
            char[] text = new char[_reader.PayloadLength];
            for (int i = 0; i < text.Length; i++)
            {
                byte b = _reader.Buffer[JrcpFraming.HeaderLength + i];
                text[i] = b >= 0x20 && b < 0x7F ? (char)b : '?';
            }

            return new string(text);
        }
    }
}
