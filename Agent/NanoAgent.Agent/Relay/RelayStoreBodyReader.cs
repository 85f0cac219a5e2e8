using System;
using System.Collections;
using System.Text;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Relay
{
    /// <summary>Reads the BER-TLV body of a relay store record (layout in <see cref="RelayStoreCodec"/>).</summary>
    internal static class RelayStoreBodyReader
    {

        /// <summary>Reads every object of the body into the tables.</summary>
        /// <returns>The generation (0 when the body has none).</returns>
        /// <exception cref="TlvException">When the TLV structure is broken.</exception>
        /// <exception cref="RelayStoreException">When an object lacks a field or holds a bad value.</exception>
        public static uint Read(byte[] record, int offset, int count, bool version1, Hashtable counters, Hashtable results, Hashtable runs, Hashtable authFailures)
        {
            uint generation = 0;
            BerTlvReader top = new BerTlvReader(record, offset, count);
            while (top.Read())
            {
                if (top.Tag == RelayStoreTags.Generation && !version1)
                {
                    if (top.ValueLength != 4)
                    {
                        throw Malformed("a generation not of four bytes");
                    }

                    generation = top.ValueAsNumber();
                    continue;
                }

                BerTlvReader fields = top.OpenValue();
                if (top.Tag == RelayStoreTags.Counter)
                {
                    string tenant = Text(record, ref fields, RelayStoreTags.Tenant);
                    counters[tenant] = Counter(record, ref fields, version1);
                }
                else if (top.Tag == RelayStoreTags.Result)
                {
                    string tenant = Text(record, ref fields, RelayStoreTags.Tenant);
                    byte[] id = Bytes(record, ref fields, RelayStoreTags.Id);
                    byte[] result = Bytes(record, ref fields, RelayStoreTags.Bytes);
                    ArrayList list = (ArrayList)results[tenant];
                    if (list == null)
                    {
                        list = new ArrayList();
                        results[tenant] = list;
                    }

                    list.Add(new StoredResultEntry(InMemoryRelayStore.KeyOf(id), id, result));
                }
                else if (top.Tag == RelayStoreTags.Run)
                {
                    InFlightRun run = ReadRun(record, ref fields, version1);
                    runs[run.TenantId] = run;
                }
                else if (top.Tag == RelayStoreTags.AuthFailures)
                {
                    string tenant = Text(record, ref fields, RelayStoreTags.Tenant);
                    uint failures = Number(ref fields, RelayStoreTags.Failures);
                    if (failures == 0 || failures > int.MaxValue)
                    {
                        throw Malformed("a bad failure count");
                    }

                    authFailures[tenant] = (int)failures;
                }
                else
                {
                    throw Malformed("an unknown object");
                }

                if (fields.HasMore && top.Tag != RelayStoreTags.Run)
                {
                    throw Malformed("extra fields");
                }
            }

            return generation;
        }

        private static InFlightRun ReadRun(byte[] record, ref BerTlvReader fields, bool version1)
        {
            string tenant = Text(record, ref fields, RelayStoreTags.Tenant);
            byte[] id = Bytes(record, ref fields, RelayStoreTags.Id);
            ulong counter = Counter(record, ref fields, version1);
            uint steps = Number(ref fields, RelayStoreTags.StepCount);
            int sending = (int)Number(ref fields, RelayStoreTags.Sending);
            if (steps > int.MaxValue || sending < -1)
            {
                throw Malformed("a bad step number");
            }

            InFlightRun run = new InFlightRun(tenant, id, counter, (int)steps);
            while (fields.Read())
            {
                if (fields.Tag != RelayStoreTags.Step || fields.ValueLength < 7)
                {
                    throw Malformed("a bad step");
                }

                int at = fields.ValueOffset;
                int index = (int)(((uint)record[at] << 24) | ((uint)record[at + 1] << 16) | ((uint)record[at + 2] << 8) | record[at + 3]);
                bool hasData = (record[at + 4] & RelayStoreCodec.OutcomeHasData) != 0;
                int outcome = record[at + 4] & ~RelayStoreCodec.OutcomeHasData;
                if (index < 0 || outcome > (int)StepOutcome.SentUnknown || (!hasData && fields.ValueLength != 7))
                {
                    throw Malformed("a bad step");
                }

                byte[] data = null;
                if (hasData)
                {
                    data = new byte[fields.ValueLength - 7];
                    Array.Copy(record, at + 7, data, 0, data.Length);
                }

                run.MarkAnswered(new StepResult(index, (StepOutcome)outcome, (ushort)((record[at + 5] << 8) | record[at + 6]), data));
            }

            // After the answers: MarkAnswered clears a matching "sending", which the trace had recorded later.
            if (sending >= 0)
            {
                run.MarkSending(sending);
            }

            return run;
        }

        private static void Expect(ref BerTlvReader fields, int tag)
        {
            if (!fields.Read() || fields.Tag != tag)
            {
                throw Malformed("a missing field");
            }
        }

        private static uint Number(ref BerTlvReader fields, int tag)
        {
            Expect(ref fields, tag);
            if (fields.ValueLength != 4)
            {
                throw Malformed("a number not of four bytes");
            }

            return fields.ValueAsNumber();
        }

        // Version 1 wrote 4-byte counters, version 2 writes 8.
        private static ulong Counter(byte[] record, ref BerTlvReader fields, bool version1)
        {
            Expect(ref fields, RelayStoreTags.Number);
            if (fields.ValueLength != (version1 ? 4 : 8))
            {
                throw Malformed(version1 ? "a counter not of four bytes" : "a counter not of eight bytes");
            }

            ulong value = 0;
            for (int i = 0; i < fields.ValueLength; i++)
            {
                value = (value << 8) | record[fields.ValueOffset + i];
            }

            return value;
        }

        private static byte[] Bytes(byte[] record, ref BerTlvReader fields, int tag)
        {
            Expect(ref fields, tag);
            byte[] value = new byte[fields.ValueLength];
            Array.Copy(record, fields.ValueOffset, value, 0, value.Length);
            return value;
        }

        private static string Text(byte[] record, ref BerTlvReader fields, int tag)
        {
            Expect(ref fields, tag);
            try
            {
                return Encoding.UTF8.GetString(record, fields.ValueOffset, fields.ValueLength);
            }
            catch (Exception)
            {
                // The device's UTF-8 decoder may throw on invalid sequences; the CRC matched, so the writer was wrong.
                throw Malformed("a tenant id that is not UTF-8");
            }
        }

        private static RelayStoreException Malformed(string what)
        {
            return new RelayStoreException(RelayStoreError.Malformed, "The relay store record holds " + what + ".");
        }
    }
}
