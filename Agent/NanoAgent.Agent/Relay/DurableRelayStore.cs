using System;
using System.Collections;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// An <see cref="IRelayStore"/> kept in one <see cref="IRecordStorage"/> record (flash on the device): the same
    /// semantics as <see cref="InMemoryRelayStore"/>, and every change is written through before the call returns, so
    /// "sending i" is durable before the APDU goes out and counters survive a reboot (docs/protocol.md §6). The whole state
    /// is one record (<see cref="RelayStoreCodec"/>); the storage's atomic write means a power cut leaves the previous or
    /// the new state. An unreadable record is a <see cref="RelayStoreException"/>, never a silent reset, because an empty
    /// store would accept replayed scripts. If a write throws, the exception propagates and this instance is ahead of the
    /// storage: discard it and open a new one (as a reboot does). Thread-safe.
    /// </summary>
    public sealed class DurableRelayStore : IRelayStore
    {
        private readonly Hashtable _counters = new Hashtable();
        private readonly Hashtable _results = new Hashtable();
        private readonly Hashtable _runs = new Hashtable();
        private readonly IRecordStorage _storage;
        private readonly RelayStoreCodec _codec = new RelayStoreCodec();
        private readonly int _resultsPerTenant;
        private readonly object _gate = new object();
        private byte[] _record = new byte[512];

        /// <summary>Opens the store, keeping <see cref="InMemoryRelayStore.DefaultResultsPerTenant"/> results per tenant.</summary>
        /// <param name="storage">The record storage.</param>
        /// <exception cref="RelayStoreException">When the storage holds a record that cannot be read.</exception>
        public DurableRelayStore(IRecordStorage storage)
            : this(storage, InMemoryRelayStore.DefaultResultsPerTenant)
        {
        }

        /// <summary>Opens the store: loads the stored record, or starts empty when the storage has none.</summary>
        /// <param name="storage">The record storage.</param>
        /// <param name="resultsPerTenant">How many results to keep per tenant (at least 1); older stored ones are dropped.</param>
        /// <exception cref="ArgumentNullException">When <paramref name="storage"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">When <paramref name="resultsPerTenant"/> is below 1.</exception>
        /// <exception cref="RelayStoreException">When the storage holds a record that cannot be read.</exception>
        public DurableRelayStore(IRecordStorage storage, int resultsPerTenant)
        {
            if (storage == null)
            {
                throw new ArgumentNullException("storage");
            }

            if (resultsPerTenant < 1)
            {
                throw new ArgumentOutOfRangeException("resultsPerTenant");
            }

            _storage = storage;
            _resultsPerTenant = resultsPerTenant;
            byte[] record = storage.Read();
            if (record != null)
            {
                RelayStoreCodec.Decode(record, _counters, _results, _runs);
                foreach (DictionaryEntry pair in _results)
                {
                    Trim((ArrayList)pair.Value);
                }
            }
        }

        /// <summary>Gets how many records this instance has written (one per durable change).</summary>
        public int Writes { get; private set; }

        /// <inheritdoc />
        public long GetCounter(string tenantId)
        {
            lock (_gate)
            {
                object value = _counters[tenantId];
                return value == null ? -1 : (long)(uint)value;
            }
        }

        /// <inheritdoc />
        public void SetCounter(string tenantId, uint counter)
        {
            lock (_gate)
            {
                _counters[tenantId] = counter;
                Persist();
            }
        }

        /// <inheritdoc />
        public byte[] FindResult(string tenantId, byte[] scriptId)
        {
            lock (_gate)
            {
                ArrayList list = (ArrayList)_results[tenantId];
                if (list == null)
                {
                    return null;
                }

                string key = KeyOf(scriptId);
                for (int i = 0; i < list.Count; i++)
                {
                    StoredResultEntry entry = (StoredResultEntry)list[i];
                    if (entry.Key == key)
                    {
                        return (byte[])entry.Result.Clone();
                    }
                }

                return null;
            }
        }

        /// <inheritdoc />
        public void SaveResult(string tenantId, byte[] scriptId, byte[] encodedResult)
        {
            lock (_gate)
            {
                ArrayList list = (ArrayList)_results[tenantId];
                if (list == null)
                {
                    list = new ArrayList();
                    _results[tenantId] = list;
                }

                string key = KeyOf(scriptId);
                for (int i = 0; i < list.Count; i++)
                {
                    if (((StoredResultEntry)list[i]).Key == key)
                    {
                        list.RemoveAt(i);
                        break;
                    }
                }

                list.Add(new StoredResultEntry(key, (byte[])scriptId.Clone(), (byte[])encodedResult.Clone()));
                Trim(list);
                Persist();
            }
        }

        /// <inheritdoc />
        public void BeginRun(InFlightRun run)
        {
            lock (_gate)
            {
                _runs[run.TenantId] = run;
                Persist();
            }
        }

        /// <inheritdoc />
        public void MarkSending(string tenantId, int index)
        {
            lock (_gate)
            {
                InFlightRun run = (InFlightRun)_runs[tenantId];
                if (run != null)
                {
                    run.MarkSending(index);
                    Persist();
                }
            }
        }

        /// <inheritdoc />
        public void MarkAnswered(string tenantId, StepResult result)
        {
            lock (_gate)
            {
                InFlightRun run = (InFlightRun)_runs[tenantId];
                if (run != null)
                {
                    run.MarkAnswered(result);
                    Persist();
                }
            }
        }

        /// <inheritdoc />
        public void EndRun(string tenantId)
        {
            lock (_gate)
            {
                if (_runs.Contains(tenantId))
                {
                    _runs.Remove(tenantId);
                    Persist();
                }
            }
        }

        /// <inheritdoc />
        public InFlightRun[] Runs()
        {
            lock (_gate)
            {
                InFlightRun[] runs = new InFlightRun[_runs.Count];
                _runs.Values.CopyTo(runs, 0);
                return runs;
            }
        }

        /// <summary>Returns the upper-case hex of a script id, the key results are found by.</summary>
        internal static string KeyOf(byte[] scriptId)
        {
            char[] chars = new char[scriptId.Length * 2];
            const string digits = "0123456789ABCDEF";
            for (int i = 0; i < scriptId.Length; i++)
            {
                chars[2 * i] = digits[scriptId[i] >> 4];
                chars[(2 * i) + 1] = digits[scriptId[i] & 0x0F];
            }

            return new string(chars);
        }

        private void Trim(ArrayList list)
        {
            while (list.Count > _resultsPerTenant)
            {
                list.RemoveAt(0);
            }
        }

        private void Persist()
        {
            int length;
            while (true)
            {
                try
                {
                    length = _codec.Encode(_record, 0, _record.Length, _counters, _results, _runs);
                    break;
                }
                catch (TlvException e)
                {
                    if (e.Error != TlvError.BufferTooSmall)
                    {
                        throw;
                    }

                    // Grows rarely (a new tenant or a larger result); the buffer is kept for the next writes.
                    _record = new byte[_record.Length * 2];
                }
            }

            _storage.Write(_record, 0, length);
            Writes++;
        }
    }
}
