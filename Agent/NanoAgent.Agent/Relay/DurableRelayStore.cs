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
        private readonly InMemoryRelayStore _memory;
        private readonly IRecordStorage _storage;
        private readonly RelayStoreCodec _codec = new RelayStoreCodec();
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
            Hashtable counters = new Hashtable(), results = new Hashtable(), runs = new Hashtable();
            byte[] record = storage.Read();
            if (record != null)
            {
                RelayStoreCodec.Decode(record, counters, results, runs);
            }

            _memory = new InMemoryRelayStore(resultsPerTenant, counters, results, runs);
        }

        /// <summary>Gets how many records this instance has written (one per durable change).</summary>
        public int Writes { get; private set; }

        /// <inheritdoc />
        public ulong GetCounter(string tenantId)
        {
            return _memory.GetCounter(tenantId);
        }

        /// <inheritdoc />
        /// <remarks>Kept in RAM only until the record format gains a table for it: a reboot clears the count.</remarks>
        public int GetAuthFailures(string tenantId)
        {
            return _memory.GetAuthFailures(tenantId);
        }

        /// <inheritdoc />
        /// <remarks>Kept in RAM only until the record format gains a table for it: a reboot clears the count.</remarks>
        public void SetAuthFailures(string tenantId, int failures)
        {
            _memory.SetAuthFailures(tenantId, failures);
        }

        /// <inheritdoc />
        public void SetCounter(string tenantId, ulong counter)
        {
            lock (_memory.Gate)
            {
                _memory.SetCounter(tenantId, counter);
                Persist();
            }
        }

        /// <inheritdoc />
        public byte[] FindResult(string tenantId, byte[] scriptId)
        {
            return _memory.FindResult(tenantId, scriptId);
        }

        /// <inheritdoc />
        public void SaveResult(string tenantId, byte[] scriptId, byte[] encodedResult)
        {
            lock (_memory.Gate)
            {
                _memory.SaveResult(tenantId, scriptId, encodedResult);
                Persist();
            }
        }

        /// <inheritdoc />
        public void BeginRun(InFlightRun run)
        {
            lock (_memory.Gate)
            {
                _memory.BeginRun(run);
                Persist();
            }
        }

        /// <inheritdoc />
        public void MarkSending(string tenantId, int index)
        {
            lock (_memory.Gate)
            {
                if (_memory.InFlight.Contains(tenantId))
                {
                    _memory.MarkSending(tenantId, index);
                    Persist();
                }
            }
        }

        /// <inheritdoc />
        public void MarkAnswered(string tenantId, StepResult result)
        {
            lock (_memory.Gate)
            {
                if (_memory.InFlight.Contains(tenantId))
                {
                    _memory.MarkAnswered(tenantId, result);
                    Persist();
                }
            }
        }

        /// <inheritdoc />
        public void EndRun(string tenantId)
        {
            lock (_memory.Gate)
            {
                if (_memory.InFlight.Contains(tenantId))
                {
                    _memory.EndRun(tenantId);
                    Persist();
                }
            }
        }

        /// <inheritdoc />
        public InFlightRun[] Runs()
        {
            return _memory.Runs();
        }

        private void Persist()
        {
            int length;
            while (true)
            {
                try
                {
                    length = _codec.Encode(_record, 0, _record.Length, _memory.Counters, _memory.Results, _memory.InFlight);
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
