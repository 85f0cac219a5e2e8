using System;
using System.Collections;
using System.Text;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Encodes the change records <see cref="DurableRelayStore"/> appends to its <see cref="IJournalStorage"/>. A record is
    /// type (1 byte), payload length (2 bytes, big-endian), payload, CRC-16/X-25 over type, length and payload (2 bytes,
    /// big-endian). Payloads (text: length byte + UTF-8; numbers big-endian):
    /// <c>01</c> header { generation (4) } (always the first record);
    /// <c>02</c> counter set { tenant, counter (8) };
    /// <c>03</c> result saved { tenant, script id (length byte + bytes), encoded result (the rest) };
    /// <c>04</c> run begun { tenant, script id, counter (8), step count (4) };
    /// <c>05</c> step sending { tenant, index (4) };
    /// <c>06</c> step answered { tenant, index (4), outcome (1), SW (2), then the response data (the rest) when the outcome
    /// byte has bit 8 (<c>80</c>) set };
    /// <c>07</c> run ended { tenant };
    /// <c>08</c> EXTERNAL AUTHENTICATE failures set { tenant, consecutive failures (4), 0 clears }.
    /// Records <c>08</c> and the data in <c>06</c> were added later; a journal without them still replays.
    /// The buffer is kept per instance, so a step record allocates nothing; not thread-safe.
    /// </summary>
    public sealed class RelayJournalWriter
    {
        /// <summary>Bytes a record adds around its payload: type, length and CRC.</summary>
        public const int Overhead = 5;

        internal const byte TypeHeader = 0x01;
        internal const byte TypeCounter = 0x02;
        internal const byte TypeResult = 0x03;
        internal const byte TypeBegin = 0x04;
        internal const byte TypeSending = 0x05;
        internal const byte TypeAnswered = 0x06;
        internal const byte TypeEnd = 0x07;
        internal const byte TypeAuthFailures = 0x08;

        private readonly Hashtable _textBytes = new Hashtable();
        private byte[] _buffer = new byte[64];
        private int _length;

        /// <summary>Gets the buffer holding the last encoded record (from offset 0).</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Gets the length of the last encoded record.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>Encodes the journal's header record.</summary>
        /// <param name="generation">The generation of the snapshot this journal continues.</param>
        public void Header(uint generation)
        {
            Begin(TypeHeader, 4);
            PutNumber(generation, 4);
            Seal();
        }

        /// <summary>Encodes "counter set".</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="counter">The counter (8 bytes on flash).</param>
        public void Counter(string tenantId, ulong counter)
        {
            byte[] tenant = TextOf(tenantId);
            Begin(TypeCounter, 1 + tenant.Length + 8);
            PutBytes(tenant);
            PutNumber(counter, 8);
            Seal();
        }

        /// <summary>Encodes "result saved".</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="scriptId">The script id (at most 255 bytes).</param>
        /// <param name="encodedResult">The encoded result.</param>
        /// <exception cref="ArgumentException">When the script id is longer than 255 bytes or the record longer than 65535.</exception>
        public void Result(string tenantId, byte[] scriptId, byte[] encodedResult)
        {
            byte[] tenant = TextOf(tenantId);
            Begin(TypeResult, 1 + tenant.Length + 1 + scriptId.Length + encodedResult.Length);
            PutBytes(tenant);
            PutBytes(scriptId);
            Array.Copy(encodedResult, 0, _buffer, _length, encodedResult.Length);
            _length += encodedResult.Length;
            Seal();
        }

        /// <summary>Encodes "run begun".</summary>
        /// <param name="run">The new trace.</param>
        public void Begin(InFlightRun run)
        {
            byte[] tenant = TextOf(run.TenantId);
            Begin(TypeBegin, 1 + tenant.Length + 1 + run.ScriptId.Length + 8 + 4);
            PutBytes(tenant);
            PutBytes(run.ScriptId);
            PutNumber(run.Counter, 8);
            PutNumber((uint)run.StepCount, 4);
            Seal();
        }

        /// <summary>Encodes "step sending".</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="index">The step index.</param>
        public void Sending(string tenantId, int index)
        {
            byte[] tenant = TextOf(tenantId);
            Begin(TypeSending, 1 + tenant.Length + 4);
            PutBytes(tenant);
            PutNumber((uint)index, 4);
            Seal();
        }

        /// <summary>Encodes "step answered", with the response data when the result has some.</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="result">The step result.</param>
        /// <exception cref="ArgumentOutOfRangeException">When the outcome is not a defined <see cref="StepOutcome"/> (the reader would refuse it).</exception>
        /// <exception cref="ArgumentException">When the record would be longer than 65535 bytes.</exception>
        public void Answered(string tenantId, StepResult result)
        {
            if (result.Outcome < StepOutcome.NotSent || result.Outcome > StepOutcome.SentUnknown)
            {
                throw new ArgumentOutOfRangeException("result");
            }

            byte[] tenant = TextOf(tenantId);
            byte[] data = result.Data;
            Begin(TypeAnswered, 1 + tenant.Length + 7 + (data == null ? 0 : data.Length));
            PutBytes(tenant);
            PutNumber((uint)result.Index, 4);
            _buffer[_length++] = (byte)((byte)result.Outcome | (data == null ? 0 : RelayStoreCodec.OutcomeHasData));
            PutNumber(result.Sw, 2);
            if (data != null)
            {
                Array.Copy(data, 0, _buffer, _length, data.Length);
                _length += data.Length;
            }

            Seal();
        }

        /// <summary>Encodes "EXTERNAL AUTHENTICATE failures set".</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="failures">The consecutive failures (0 clears them).</param>
        /// <exception cref="ArgumentOutOfRangeException">When <paramref name="failures"/> is negative.</exception>
        public void AuthFailures(string tenantId, int failures)
        {
            if (failures < 0)
            {
                throw new ArgumentOutOfRangeException("failures");
            }

            byte[] tenant = TextOf(tenantId);
            Begin(TypeAuthFailures, 1 + tenant.Length + 4);
            PutBytes(tenant);
            PutNumber((uint)failures, 4);
            Seal();
        }

        /// <summary>Encodes "run ended".</summary>
        /// <param name="tenantId">The tenant.</param>
        public void End(string tenantId)
        {
            byte[] tenant = TextOf(tenantId);
            Begin(TypeEnd, 1 + tenant.Length);
            PutBytes(tenant);
            Seal();
        }

        private void Begin(byte type, int payload)
        {
            if (payload > 0xFFFF)
            {
                throw new ArgumentException("A relay journal record holds at most 65535 bytes.");
            }

            if (_buffer.Length < payload + Overhead)
            {
                _buffer = new byte[(payload + Overhead) * 2];
            }

            _buffer[0] = type;
            _buffer[1] = (byte)(payload >> 8);
            _buffer[2] = (byte)payload;
            _length = 3;
        }

        private void Seal()
        {
            ushort crc = Crc16X25.Compute(_buffer, 0, _length);
            _buffer[_length] = (byte)(crc >> 8);
            _buffer[_length + 1] = (byte)crc;
            _length += 2;
        }

        private void PutBytes(byte[] bytes)
        {
            if (bytes.Length > 255)
            {
                throw new ArgumentException("Tenant ids and script ids in the relay journal are at most 255 bytes.");
            }

            _buffer[_length++] = (byte)bytes.Length;
            Array.Copy(bytes, 0, _buffer, _length, bytes.Length);
            _length += bytes.Length;
        }

        private void PutNumber(ulong value, int size)
        {
            for (int i = size - 1; i >= 0; i--)
            {
                _buffer[_length + i] = (byte)value;
                value >>= 8;
            }

            _length += size;
        }

        // Tenant ids are few and fixed: encode each once, not on every step record.
        private byte[] TextOf(string text)
        {
            byte[] bytes = (byte[])_textBytes[text];
            if (bytes == null)
            {
                bytes = Encoding.UTF8.GetBytes(text);
                _textBytes[text] = bytes;
            }

            return bytes;
        }
    }
}
