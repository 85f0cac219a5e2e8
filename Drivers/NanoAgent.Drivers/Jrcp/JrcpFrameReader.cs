using System;

namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>
    /// Puts JRCP v1 messages (<see cref="JrcpFraming"/>) back together from bytes that arrive in any pieces, as over TCP or
    /// a serial port. A message whose announced payload is over the limit is read to its end and dropped, so the stream
    /// stays in step, and reported as <see cref="Oversized"/>. One buffer, allocated once; no allocation per message.
    /// </summary>
    public sealed class JrcpFrameReader
    {
        private readonly byte[] _buffer;
        private readonly int _maxPayload;
        private int _have;
        private int _payloadLength;
        private int _discarded;

        /// <summary>Creates a reader.</summary>
        /// <param name="maxPayload">The longest payload kept, 0 to 65535.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPayload"/> is out of range.</exception>
        public JrcpFrameReader(int maxPayload)
        {
            if (maxPayload < 0 || maxPayload > JrcpFraming.MaxLength)
            {
                throw new ArgumentOutOfRangeException("maxPayload");
            }

            _maxPayload = maxPayload;
            _buffer = new byte[JrcpFraming.HeaderLength + maxPayload];
        }

        /// <summary>Gets the message: header then payload (valid when <see cref="IsComplete"/> and not <see cref="Oversized"/>).</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Gets a value indicating whether a whole message is there.</summary>
        public bool IsComplete { get; private set; }

        /// <summary>Gets a value indicating whether the complete message announced more payload than the limit (its payload was dropped).</summary>
        public bool Oversized { get; private set; }

        /// <summary>Gets the message type (valid once the header is in).</summary>
        public byte Type
        {
            get { return _buffer[0]; }
        }

        /// <summary>Gets the node address (valid once the header is in).</summary>
        public byte Nad
        {
            get { return _buffer[1]; }
        }

        /// <summary>Gets the payload length the header announced (valid once the header is in).</summary>
        public int PayloadLength
        {
            get { return _payloadLength; }
        }

        /// <summary>Gets a value indicating whether part of a message has arrived but not all of it.</summary>
        public bool InMessage
        {
            get { return !IsComplete && Received > 0; }
        }

        /// <summary>Gets how many bytes of the current message arrived (header included, dropped payload included).</summary>
        public int Received
        {
            get { return _have + _discarded; }
        }

        /// <summary>Gets how many bytes the current message has in all, once its header is in; 0 before.</summary>
        public int Expected
        {
            get { return _have < JrcpFraming.HeaderLength ? 0 : JrcpFraming.HeaderLength + _payloadLength; }
        }

        /// <summary>Forgets the current message, complete or not.</summary>
        public void Reset()
        {
            _have = 0;
            _payloadLength = 0;
            _discarded = 0;
            IsComplete = false;
            Oversized = false;
        }

        /// <summary>Takes bytes until a message is complete; a complete message must be <see cref="Reset"/> before the next.</summary>
        /// <param name="data">The bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>How many bytes were taken (fewer than <paramref name="count"/> when a message completed first).</returns>
        /// <exception cref="ArgumentException">The range is not inside <paramref name="data"/>.</exception>
        /// <exception cref="InvalidOperationException">The previous message was complete and not reset (a bug).</exception>
        public int Push(byte[] data, int offset, int count)
        {
            if (data == null || offset < 0 || count < 0 || offset + count > data.Length)
            {
                throw new ArgumentException("The range is not inside the buffer.");
            }

            if (IsComplete)
            {
                throw new InvalidOperationException("Reset the reader after a complete message.");
            }

            int taken = 0;
            while (taken < count && !IsComplete)
            {
                if (_have < JrcpFraming.HeaderLength)
                {
                    _buffer[_have++] = data[offset + taken++];
                    if (_have == JrcpFraming.HeaderLength)
                    {
                        _payloadLength = JrcpFraming.ReadLength(_buffer, 0);
                        Oversized = _payloadLength > _maxPayload;
                        IsComplete = _payloadLength == 0;
                    }

                    continue;
                }

                int want = JrcpFraming.HeaderLength + _payloadLength - Received;
                int n = count - taken < want ? count - taken : want;
                if (Oversized)
                {
                    _discarded += n;
                }
                else
                {
                    Array.Copy(data, offset + taken, _buffer, _have, n);
                    _have += n;
                }

                taken += n;
                IsComplete = Received == JrcpFraming.HeaderLength + _payloadLength;
            }

            return taken;
        }
    }
}
