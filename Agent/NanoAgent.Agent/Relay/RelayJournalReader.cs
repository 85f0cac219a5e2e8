using System;
using System.Text;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Replays a relay journal (<see cref="RelayJournalWriter"/> layout) over the state loaded from the snapshot. Only a
    /// journal whose header names the snapshot's generation continues it; any other journal is stale (its changes are in
    /// the snapshot already, or it was never started). A record that ends the journal and fails its CRC or its length is a
    /// torn append and is ignored; a failing record with further bytes behind it is corruption.
    /// </summary>
    internal static class RelayJournalReader
    {
        /// <summary>Applies every intact record of the journal to the tables.</summary>
        /// <param name="journal">The journal bytes, or null.</param>
        /// <param name="generation">The snapshot's generation.</param>
        /// <param name="memory">The state loaded from the snapshot.</param>
        /// <returns>The length of the intact prefix when the journal continues the snapshot; -1 when it is stale or absent.</returns>
        /// <exception cref="RelayStoreException">When a record inside the journal is corrupt or malformed.</exception>
        public static int Replay(byte[] journal, uint generation, InMemoryRelayStore memory)
        {
            if (journal == null)
            {
                return -1;
            }

            int at = 0;
            bool continues = false;
            while (at < journal.Length)
            {
                int end = RecordEnd(journal, at);
                if (end < 0)
                {
                    if (at + 3 <= journal.Length && at + Length(journal, at) + RelayJournalWriter.Overhead < journal.Length)
                    {
                        throw new RelayStoreException(RelayStoreError.ChecksumMismatch, "A record inside the relay journal fails its CRC check.");
                    }

                    break;
                }

                byte type = journal[at];
                if (!continues)
                {
                    if (type != RelayJournalWriter.TypeHeader || Length(journal, at) != 4 || Number(journal, at + 3, 4) != generation)
                    {
                        return -1;
                    }

                    continues = true;
                }
                else
                {
                    Apply(journal, at + 3, Length(journal, at), type, memory);
                }

                at = end;
            }

            return continues ? at : -1;
        }

        // The end of an intact record at 'at', or -1 when it is cut short or fails its CRC.
        private static int RecordEnd(byte[] journal, int at)
        {
            if (journal.Length - at < RelayJournalWriter.Overhead)
            {
                return -1;
            }

            int end = at + Length(journal, at) + RelayJournalWriter.Overhead;
            if (end > journal.Length)
            {
                return -1;
            }

            ushort crc = Crc16X25.Compute(journal, at, end - at - 2);
            return journal[end - 2] == (byte)(crc >> 8) && journal[end - 1] == (byte)crc ? end : -1;
        }

        private static int Length(byte[] journal, int at)
        {
            return (journal[at + 1] << 8) | journal[at + 2];
        }

        private static void Apply(byte[] journal, int at, int length, byte type, InMemoryRelayStore memory)
        {
            int end = at + length;
            string tenant = Text(journal, ref at, end);
            if (type == RelayJournalWriter.TypeCounter)
            {
                memory.SetCounter(tenant, Counter(journal, ref at, end));
            }
            else if (type == RelayJournalWriter.TypeResult)
            {
                byte[] id = Bytes(journal, ref at, end);
                byte[] result = new byte[end - at];
                Array.Copy(journal, at, result, 0, result.Length);
                at = end;
                memory.SaveResult(tenant, id, result);
            }
            else if (type == RelayJournalWriter.TypeBegin)
            {
                byte[] id = Bytes(journal, ref at, end);
                uint counter = Counter(journal, ref at, end);
                uint steps = Take(journal, ref at, end, 4);
                if (steps > int.MaxValue)
                {
                    throw Malformed("a bad step count");
                }

                memory.BeginRun(new InFlightRun(tenant, id, counter, (int)steps));
            }
            else if (type == RelayJournalWriter.TypeSending)
            {
                memory.MarkSending(tenant, Index(journal, ref at, end));
            }
            else if (type == RelayJournalWriter.TypeAnswered)
            {
                int index = Index(journal, ref at, end);
                uint outcome = Take(journal, ref at, end, 1);
                ushort sw = (ushort)Take(journal, ref at, end, 2);
                bool hasData = (outcome & RelayStoreCodec.OutcomeHasData) != 0;
                outcome &= ~(uint)RelayStoreCodec.OutcomeHasData;
                if (outcome > (uint)StepOutcome.SentUnknown)
                {
                    throw Malformed("a bad step outcome");
                }

                byte[] data = null;
                if (hasData)
                {
                    data = new byte[end - at];
                    Array.Copy(journal, at, data, 0, data.Length);
                    at = end;
                }

                memory.MarkAnswered(tenant, new StepResult(index, (StepOutcome)outcome, sw, data));
            }
            else if (type == RelayJournalWriter.TypeAuthFailures)
            {
                uint failures = Take(journal, ref at, end, 4);
                if (failures > int.MaxValue)
                {
                    throw Malformed("a bad failure count");
                }

                memory.SetAuthFailures(tenant, (int)failures);
            }
            else if (type == RelayJournalWriter.TypeEnd)
            {
                memory.EndRun(tenant);
            }
            else
            {
                throw Malformed("an unknown record type");
            }

            if (at != end)
            {
                throw Malformed("a record with extra bytes");
            }
        }

        private static int Index(byte[] journal, ref int at, int end)
        {
            uint index = Take(journal, ref at, end, 4);
            if (index > int.MaxValue)
            {
                throw Malformed("a bad step index");
            }

            return (int)index;
        }

        // Counters are 8 bytes on flash; this firmware's counters are 32-bit, so larger values are refused.
        private static uint Counter(byte[] journal, ref int at, int end)
        {
            uint high = Take(journal, ref at, end, 4);
            uint low = Take(journal, ref at, end, 4);
            if (high != 0)
            {
                throw Malformed("a counter above 32 bits");
            }

            return low;
        }

        private static uint Take(byte[] journal, ref int at, int end, int size)
        {
            if (end - at < size)
            {
                throw Malformed("a record cut short");
            }

            uint value = Number(journal, at, size);
            at += size;
            return value;
        }

        private static uint Number(byte[] buffer, int at, int size)
        {
            uint value = 0;
            for (int i = 0; i < size; i++)
            {
                value = (value << 8) | buffer[at + i];
            }

            return value;
        }

        private static byte[] Bytes(byte[] journal, ref int at, int end)
        {
            int length = (int)Take(journal, ref at, end, 1);
            if (end - at < length)
            {
                throw Malformed("a record cut short");
            }

            byte[] value = new byte[length];
            Array.Copy(journal, at, value, 0, length);
            at += length;
            return value;
        }

        private static string Text(byte[] journal, ref int at, int end)
        {
            byte[] bytes = Bytes(journal, ref at, end);
            try
            {
                return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
            }
            catch (Exception)
            {
                throw Malformed("a tenant id that is not UTF-8");
            }
        }

        private static RelayStoreException Malformed(string what)
        {
            return new RelayStoreException(RelayStoreError.Malformed, "The relay journal holds " + what + ".");
        }
    }
}
