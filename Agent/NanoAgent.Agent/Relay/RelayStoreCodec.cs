using System;
using System.Collections;
using System.Text;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Encodes and decodes the snapshot record of <see cref="DurableRelayStore"/>: a version byte (<see cref="Version"/>), the
    /// body length (4 bytes, big-endian), the body as BER-TLV and a CRC-16/X-25 over everything before it (2 bytes, big-endian).
    /// Body objects, in any order: <c>C1</c> generation (4 bytes: which journal continues this snapshot, version 2 only);
    /// <c>E1</c> counter { <c>80</c> tenant (UTF-8), <c>81</c> counter (8 bytes; version 1 wrote 4) };
    /// <c>E2</c> result, oldest first per tenant { <c>80</c> tenant, <c>82</c> script id, <c>83</c> encoded result };
    /// <c>E3</c> run { <c>80</c> tenant, <c>82</c> script id, <c>81</c> counter, <c>84</c> step count (4 bytes),
    /// <c>85</c> step sending (4 bytes, FFFFFFFF for none), <c>86</c>* answered step (index 4 bytes, outcome, SW 2 bytes,
    /// then the response data when the outcome byte has bit 8 (<c>80</c>) set: the data may be empty, a step without the bit
    /// asked for none) };
    /// <c>E4</c> EXTERNAL AUTHENTICATE failures (docs/protocol.md §4.5), only for tenants with a count above 0
    /// { <c>80</c> tenant, <c>87</c> consecutive failures (4 bytes) }.
    /// <c>E4</c> and the response data in <c>86</c> were added within version 2: older firmware refuses such a record as
    /// malformed, and a record without them still loads (no failures, steps without data).
    /// The writer is allocated once per instance; not thread-safe.
    /// </summary>
    public sealed class RelayStoreCodec
    {
        /// <summary>The record format version written (version 1, with 4-byte counters and no generation, is still read).</summary>
        public const byte Version = 2;

        /// <summary>The first record format version, still read.</summary>
        public const byte Version1 = 1;

        private const int HeaderLength = 5;
        private const int CrcLength = 2;

        /// <summary>Bit of an answered step's outcome byte (snapshot and journal) telling that response data follows the SW.</summary>
        internal const byte OutcomeHasData = 0x80;

        private readonly byte[] _number = new byte[8];
        private byte[] _step = new byte[16];
        private readonly Hashtable _textBytes = new Hashtable();
        private readonly BerTlvWriter _writer;

        /// <summary>Creates a codec.</summary>
        public RelayStoreCodec()
        {
            _writer = new BerTlvWriter(_number, 0, 0);
        }

        /// <summary>Encodes a store state into a buffer, with generation 0.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the record starts.</param>
        /// <param name="count">Room available.</param>
        /// <param name="counters">Tenant id to last accepted counter (uint).</param>
        /// <param name="results">Tenant id to the list of stored results, oldest first.</param>
        /// <param name="runs">Tenant id to <see cref="InFlightRun"/>.</param>
        /// <returns>The record length.</returns>
        /// <exception cref="TlvException"><see cref="TlvError.BufferTooSmall"/> when the record does not fit: retry with a larger buffer.</exception>
        public int Encode(byte[] buffer, int offset, int count, Hashtable counters, Hashtable results, Hashtable runs)
        {
            return Encode(buffer, offset, count, counters, results, runs, 0);
        }

        /// <summary>Encodes a store state into a buffer.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the record starts.</param>
        /// <param name="count">Room available.</param>
        /// <param name="counters">Tenant id to last accepted counter (uint).</param>
        /// <param name="results">Tenant id to the list of stored results, oldest first.</param>
        /// <param name="runs">Tenant id to <see cref="InFlightRun"/>.</param>
        /// <param name="generation">The generation of the journal that continues this snapshot.</param>
        /// <returns>The record length.</returns>
        /// <exception cref="TlvException"><see cref="TlvError.BufferTooSmall"/> when the record does not fit: retry with a larger buffer.</exception>
        public int Encode(byte[] buffer, int offset, int count, Hashtable counters, Hashtable results, Hashtable runs, uint generation)
        {
            return Encode(buffer, offset, count, counters, results, runs, null, generation);
        }

        /// <summary>Encodes a store state into a buffer.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the record starts.</param>
        /// <param name="count">Room available.</param>
        /// <param name="counters">Tenant id to last accepted counter (uint).</param>
        /// <param name="results">Tenant id to the list of stored results, oldest first.</param>
        /// <param name="runs">Tenant id to <see cref="InFlightRun"/>.</param>
        /// <param name="authFailures">Tenant id to consecutive EXTERNAL AUTHENTICATE failures (int above 0), or null for none.</param>
        /// <param name="generation">The generation of the journal that continues this snapshot.</param>
        /// <returns>The record length.</returns>
        /// <exception cref="TlvException"><see cref="TlvError.BufferTooSmall"/> when the record does not fit: retry with a larger buffer.</exception>
        public int Encode(byte[] buffer, int offset, int count, Hashtable counters, Hashtable results, Hashtable runs, Hashtable authFailures, uint generation)
        {
            if (count < HeaderLength + CrcLength)
            {
                throw new TlvException(TlvError.BufferTooSmall, "The record buffer is full.");
            }

            _writer.Reset(buffer, offset + HeaderLength, count - HeaderLength - CrcLength);
            WriteNumber(RelayStoreTags.Generation, generation);
            foreach (DictionaryEntry pair in counters)
            {
                _writer.BeginConstructed(RelayStoreTags.Counter);
                WriteText(RelayStoreTags.Tenant, (string)pair.Key);
                WriteCounter(RelayStoreTags.Number, (ulong)pair.Value);
                _writer.EndConstructed();
            }

            foreach (DictionaryEntry pair in results)
            {
                ArrayList list = (ArrayList)pair.Value;
                for (int i = 0; i < list.Count; i++)
                {
                    StoredResultEntry entry = (StoredResultEntry)list[i];
                    _writer.BeginConstructed(RelayStoreTags.Result);
                    WriteText(RelayStoreTags.Tenant, (string)pair.Key);
                    _writer.Write(RelayStoreTags.Id, entry.ScriptId, 0, entry.ScriptId.Length);
                    _writer.Write(RelayStoreTags.Bytes, entry.Result, 0, entry.Result.Length);
                    _writer.EndConstructed();
                }
            }

            foreach (DictionaryEntry pair in runs)
            {
                WriteRun((InFlightRun)pair.Value);
            }

            if (authFailures != null)
            {
                foreach (DictionaryEntry pair in authFailures)
                {
                    _writer.BeginConstructed(RelayStoreTags.AuthFailures);
                    WriteText(RelayStoreTags.Tenant, (string)pair.Key);
                    WriteNumber(RelayStoreTags.Failures, (uint)(int)pair.Value);
                    _writer.EndConstructed();
                }
            }

            int body = _writer.Finish();
            buffer[offset] = Version;
            PutUInt32(buffer, offset + 1, (uint)body);
            int end = offset + HeaderLength + body;
            ushort crc = Crc16X25.Compute(buffer, offset, HeaderLength + body);
            buffer[end] = (byte)(crc >> 8);
            buffer[end + 1] = (byte)crc;
            return HeaderLength + body + CrcLength;
        }

        /// <summary>Decodes a record into empty tables (filled only when the whole record is valid).</summary>
        /// <param name="record">The record.</param>
        /// <param name="counters">Receives tenant id to counter (uint).</param>
        /// <param name="results">Receives tenant id to the list of stored results, oldest first.</param>
        /// <param name="runs">Receives tenant id to <see cref="InFlightRun"/>.</param>
        /// <returns>The snapshot's generation (0 for a version 1 record).</returns>
        /// <exception cref="RelayStoreException">When the record is truncated, corrupt, malformed or of another version.</exception>
        public static uint Decode(byte[] record, Hashtable counters, Hashtable results, Hashtable runs)
        {
            return Decode(record, counters, results, runs, new Hashtable());
        }

        /// <summary>Decodes a record into empty tables (filled only when the whole record is valid).</summary>
        /// <param name="record">The record.</param>
        /// <param name="counters">Receives tenant id to counter (uint).</param>
        /// <param name="results">Receives tenant id to the list of stored results, oldest first.</param>
        /// <param name="runs">Receives tenant id to <see cref="InFlightRun"/>.</param>
        /// <param name="authFailures">Receives tenant id to consecutive EXTERNAL AUTHENTICATE failures (int).</param>
        /// <returns>The snapshot's generation (0 for a version 1 record).</returns>
        /// <exception cref="RelayStoreException">When the record is truncated, corrupt, malformed or of another version.</exception>
        public static uint Decode(byte[] record, Hashtable counters, Hashtable results, Hashtable runs, Hashtable authFailures)
        {
            if (record == null || record.Length < HeaderLength + CrcLength)
            {
                throw new RelayStoreException(RelayStoreError.Truncated, "The relay store record is shorter than its header.");
            }

            if (record[0] != Version && record[0] != Version1)
            {
                throw new RelayStoreException(RelayStoreError.UnsupportedVersion, "The relay store record has format version " + record[0].ToString() + ", not " + Version.ToString() + ".");
            }

            uint body = GetUInt32(record, 1);
            if (body != (uint)(record.Length - HeaderLength - CrcLength))
            {
                throw new RelayStoreException(RelayStoreError.Truncated, "The relay store record's length does not match its header.");
            }

            int end = record.Length - CrcLength;
            ushort crc = Crc16X25.Compute(record, 0, end);
            if (record[end] != (byte)(crc >> 8) || record[end + 1] != (byte)crc)
            {
                throw new RelayStoreException(RelayStoreError.ChecksumMismatch, "The relay store record fails its CRC check.");
            }

            Hashtable newCounters = new Hashtable();
            Hashtable newResults = new Hashtable();
            Hashtable newRuns = new Hashtable();
            Hashtable newFailures = new Hashtable();
            uint generation;
            try
            {
                generation = RelayStoreBodyReader.Read(record, HeaderLength, (int)body, record[0] == Version1, newCounters, newResults, newRuns, newFailures);
            }
            catch (TlvException e)
            {
                throw new RelayStoreException(RelayStoreError.Malformed, "The relay store record is not valid BER-TLV: " + e.Message);
            }

            Merge(newCounters, counters);
            Merge(newResults, results);
            Merge(newRuns, runs);
            Merge(newFailures, authFailures);
            return generation;
        }

        private static void Merge(Hashtable from, Hashtable into)
        {
            foreach (DictionaryEntry pair in from)
            {
                into[pair.Key] = pair.Value;
            }
        }

        private void WriteRun(InFlightRun run)
        {
            _writer.BeginConstructed(RelayStoreTags.Run);
            WriteText(RelayStoreTags.Tenant, run.TenantId);
            _writer.Write(RelayStoreTags.Id, run.ScriptId, 0, run.ScriptId.Length);
            WriteCounter(RelayStoreTags.Number, run.Counter);
            WriteNumber(RelayStoreTags.StepCount, (uint)run.StepCount);
            WriteNumber(RelayStoreTags.Sending, (uint)run.Sending);
            StepResult[] steps = run.Report();
            for (int i = 0; i < run.AnsweredCount; i++)
            {
                byte[] data = steps[i].Data;
                int length = 7 + (data == null ? 0 : data.Length);
                if (_step.Length < length)
                {
                    _step = new byte[length * 2];
                }

                PutUInt32(_step, 0, (uint)steps[i].Index);
                _step[4] = (byte)((byte)steps[i].Outcome | (data == null ? 0 : OutcomeHasData));
                _step[5] = (byte)(steps[i].Sw >> 8);
                _step[6] = (byte)steps[i].Sw;
                if (data != null)
                {
                    Array.Copy(data, 0, _step, 7, data.Length);
                }

                _writer.Write(RelayStoreTags.Step, _step, 0, length);
            }

            _writer.EndConstructed();
        }

        private void WriteText(int tag, string text)
        {
            // Tenant ids are few and fixed: encode each once, not on every write ("sending i" is on the per-APDU path).
            byte[] bytes = (byte[])_textBytes[text];
            if (bytes == null)
            {
                bytes = Encoding.UTF8.GetBytes(text);
                _textBytes[text] = bytes;
            }

            _writer.Write(tag, bytes, 0, bytes.Length);
        }

        private void WriteNumber(int tag, uint value)
        {
            PutUInt32(_number, 0, value);
            _writer.Write(tag, _number, 0, 4);
        }

        // Counters are 8 bytes on flash, so widening the tenant counter changes no stored format.
        private void WriteCounter(int tag, ulong value)
        {
            for (int i = 0; i < 8; i++)
            {
                _number[i] = (byte)(value >> (56 - (8 * i)));
            }

            _writer.Write(tag, _number, 0, 8);
        }

        private static void PutUInt32(byte[] buffer, int at, uint value)
        {
            buffer[at] = (byte)(value >> 24);
            buffer[at + 1] = (byte)(value >> 16);
            buffer[at + 2] = (byte)(value >> 8);
            buffer[at + 3] = (byte)value;
        }

        private static uint GetUInt32(byte[] buffer, int at)
        {
            return ((uint)buffer[at] << 24) | ((uint)buffer[at + 1] << 16) | ((uint)buffer[at + 2] << 8) | buffer[at + 3];
        }
    }
}
