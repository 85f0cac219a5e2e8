using System;
using System.Collections;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// An <see cref="IRelayStore"/> kept on storage that survives a reboot (flash on the device): the same semantics as
    /// <see cref="InMemoryRelayStore"/>, and every change is durable before the call returns, so "sending i" is on flash
    /// before the APDU goes out and counters survive a reboot (docs/protocol.md §6). With a journal, each change appends one
    /// small record (<see cref="RelayJournalWriter"/>, about 15 bytes for a step), and the whole state is written as a
    /// snapshot (<see cref="RelayStoreCodec"/>, atomic storage) only when the journal would pass its size limit, after a torn
    /// or failed append, and on the first change: the cost of a step does not grow with the script (docs/longevity.md).
    /// Without a journal every change rewrites the snapshot. An unreadable snapshot or journal is a
    /// <see cref="RelayStoreException"/>, never a silent reset, because an empty store would accept replayed scripts. A failed
    /// write throws <see cref="RelayStoreException"/> (<see cref="RelayStoreError.WriteFailed"/>) and leaves this instance
    /// holding what the storage holds. Thread-safe.
    /// </summary>
    public sealed class DurableRelayStore : IRelayStore
    {
        /// <summary>The default journal size at which the store writes a snapshot and starts a new journal.</summary>
        public const int DefaultJournalLimit = 4096;

        private readonly object _gate = new object();
        private readonly IRecordStorage _snapshot;
        private readonly IJournalStorage _journal;
        private readonly int _resultsPerTenant;
        private readonly int _journalLimit;
        private readonly RelayStoreCodec _codec = new RelayStoreCodec();
        private readonly RelayJournalWriter _writer = new RelayJournalWriter();
        private InMemoryRelayStore _memory;
        private byte[] _record = new byte[512];
        private int _recordLength;
        private uint _generation;
        private int _journalLength;
        private int _lastSnapshotLength;
        private bool _hasSnapshot;
        private bool _broken;

        /// <summary>Opens a store without journal, keeping <see cref="InMemoryRelayStore.DefaultResultsPerTenant"/> results per tenant.</summary>
        /// <param name="storage">The record storage.</param>
        /// <exception cref="RelayStoreException">When the storage holds a record that cannot be read.</exception>
        public DurableRelayStore(IRecordStorage storage)
            : this(storage, InMemoryRelayStore.DefaultResultsPerTenant)
        {
        }

        /// <summary>Opens a store without journal: every change rewrites the whole record.</summary>
        /// <param name="storage">The record storage.</param>
        /// <param name="resultsPerTenant">How many results to keep per tenant (at least 1); older stored ones are dropped.</param>
        /// <exception cref="ArgumentNullException">When <paramref name="storage"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">When <paramref name="resultsPerTenant"/> is below 1.</exception>
        /// <exception cref="RelayStoreException">When the storage holds a record that cannot be read.</exception>
        public DurableRelayStore(IRecordStorage storage, int resultsPerTenant)
            : this(storage, null, resultsPerTenant, DefaultJournalLimit)
        {
        }

        /// <summary>Opens a store over a snapshot and a journal: loads the snapshot and replays the journal that continues it.</summary>
        /// <param name="snapshot">The atomic snapshot storage.</param>
        /// <param name="journal">The journal, or null to rewrite the snapshot on every change.</param>
        /// <param name="resultsPerTenant">How many results to keep per tenant (at least 1); older stored ones are dropped.</param>
        /// <param name="journalLimit">The journal size (bytes, at least 64) past which a snapshot is written and the journal restarts;
        /// the journal may grow to twice the last snapshot when that is larger.</param>
        /// <exception cref="ArgumentNullException">When <paramref name="snapshot"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">When <paramref name="resultsPerTenant"/> is below 1 or <paramref name="journalLimit"/> below 64.</exception>
        /// <exception cref="RelayStoreException">When the snapshot or the journal cannot be read.</exception>
        public DurableRelayStore(IRecordStorage snapshot, IJournalStorage journal, int resultsPerTenant, int journalLimit)
        {
            if (snapshot == null)
            {
                throw new ArgumentNullException("snapshot");
            }

            if (resultsPerTenant < 1)
            {
                throw new ArgumentOutOfRangeException("resultsPerTenant");
            }

            if (journalLimit < 64)
            {
                throw new ArgumentOutOfRangeException("journalLimit");
            }

            _snapshot = snapshot;
            _journal = journal;
            _resultsPerTenant = resultsPerTenant;
            _journalLimit = journalLimit;
            Load();
        }

        /// <summary>Gets how many writes this instance has made to its storages (snapshots, journal restarts and appends).</summary>
        public int Writes { get; private set; }

        /// <summary>Gets how many snapshots this instance has written.</summary>
        public int Snapshots { get; private set; }

        /// <inheritdoc />
        public long GetCounter(string tenantId)
        {
            return _memory.GetCounter(tenantId);
        }

        /// <inheritdoc />
        public void SetCounter(string tenantId, uint counter)
        {
            lock (_gate)
            {
                BeginChange();
                if (_journal == null)
                {
                    _memory.SetCounter(tenantId, counter);
                    WriteSnapshotOnly();
                    return;
                }

                _writer.Counter(tenantId, counter);
                AppendThen();
                _memory.SetCounter(tenantId, counter);
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
            lock (_gate)
            {
                BeginChange();
                if (_journal == null)
                {
                    _memory.SaveResult(tenantId, scriptId, encodedResult);
                    WriteSnapshotOnly();
                    return;
                }

                _writer.Result(tenantId, scriptId, encodedResult);
                AppendThen();
                _memory.SaveResult(tenantId, scriptId, encodedResult);
            }
        }

        /// <inheritdoc />
        public void BeginRun(InFlightRun run)
        {
            lock (_gate)
            {
                BeginChange();
                if (_journal == null)
                {
                    _memory.BeginRun(run);
                    WriteSnapshotOnly();
                    return;
                }

                _writer.Begin(run);
                AppendThen();
                _memory.BeginRun(run);
            }
        }

        /// <inheritdoc />
        public void MarkSending(string tenantId, int index)
        {
            lock (_gate)
            {
                if (!_memory.InFlight.Contains(tenantId))
                {
                    return;
                }

                BeginChange();
                if (_journal == null)
                {
                    _memory.MarkSending(tenantId, index);
                    WriteSnapshotOnly();
                    return;
                }

                _writer.Sending(tenantId, index);
                AppendThen();
                _memory.MarkSending(tenantId, index);
            }
        }

        /// <inheritdoc />
        public void MarkAnswered(string tenantId, StepResult result)
        {
            lock (_gate)
            {
                if (!_memory.InFlight.Contains(tenantId))
                {
                    return;
                }

                BeginChange();
                if (_journal == null)
                {
                    _memory.MarkAnswered(tenantId, result);
                    WriteSnapshotOnly();
                    return;
                }

                _writer.Answered(tenantId, result);
                AppendThen();
                _memory.MarkAnswered(tenantId, result);
            }
        }

        /// <inheritdoc />
        public void EndRun(string tenantId)
        {
            lock (_gate)
            {
                if (!_memory.InFlight.Contains(tenantId))
                {
                    return;
                }

                BeginChange();
                if (_journal == null)
                {
                    _memory.EndRun(tenantId);
                    WriteSnapshotOnly();
                    return;
                }

                _writer.End(tenantId);
                AppendThen();
                _memory.EndRun(tenantId);
            }
        }

        /// <inheritdoc />
        public InFlightRun[] Runs()
        {
            return _memory.Runs();
        }

        private void Load()
        {
            Hashtable counters = new Hashtable(), results = new Hashtable(), runs = new Hashtable();
            byte[] record;
            RelayStoreException unreadable = null;
            try
            {
                record = _snapshot.Read();
            }
            catch (RelayStoreException e)
            {
                if (_journal == null || e.Error != RelayStoreError.NoIntactSlot)
                {
                    throw;
                }

                // The first snapshot ever may have been cut: then the journal of generation 0 still holds every change.
                record = null;
                unreadable = e;
            }

            _hasSnapshot = record != null;
            _lastSnapshotLength = record == null ? 0 : record.Length;
            _generation = record == null ? 0 : RelayStoreCodec.Decode(record, counters, results, runs);
            _memory = new InMemoryRelayStore(_resultsPerTenant, counters, results, runs);

            if (_journal == null)
            {
                _journalLength = 0;
                return;
            }

            // -1: no journal continues the snapshot (none yet, stale, torn header) or its tail is torn (appending after it
            // would bury later records behind garbage): the next change writes a snapshot and restarts the journal first.
            byte[] journal = _journal.Read();
            _journalLength = RelayJournalReader.Replay(journal, _generation, _memory);
            if (unreadable != null && _journalLength < 0)
            {
                throw unreadable;
            }

            if (_journalLength >= 0 && _journalLength != journal.Length)
            {
                _journalLength = -1;
            }
        }

        private void BeginChange()
        {
            if (_broken)
            {
                throw new RelayStoreException(RelayStoreError.WriteFailed, "An earlier write failed and the storage could not be read back; reopen the store.");
            }
        }

        // Journal mode: makes room (snapshot + new journal) when needed, then appends the encoded record. The caller
        // applies the change to memory only after this returns.
        private void AppendThen()
        {
            try
            {
                // The journal may grow to twice the last snapshot, so snapshots cost at most half a byte per journal byte:
                // a step's cost stays bounded however long the script (a long run's trace makes a large snapshot).
                int limit = _lastSnapshotLength * 2 > _journalLimit ? _lastSnapshotLength * 2 : _journalLimit;
                if (_journalLength < 0 || _journalLength + _writer.Length > limit)
                {
                    Compact();
                }

                _journal.Append(_writer.Buffer, 0, _writer.Length);
                Writes++;
                _journalLength += _writer.Length;
            }
            catch (RelayStoreException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw Failed(e);
            }
        }

        // The state in memory (before the pending change) becomes the snapshot of the next generation, then the journal
        // restarts with that generation. A cut between the two leaves the new snapshot and a stale journal: consistent.
        private void Compact()
        {
            RelayJournalWriter header = new RelayJournalWriter();
            if (!_hasSnapshot && _generation == 0 && IsEmpty())
            {
                // A new store starts with a journal only: nothing to snapshot yet.
                _journalLength = -1;
                header.Header(0);
                _journal.Reset(header.Buffer, 0, header.Length);
                Writes++;
                _journalLength = header.Length;
                return;
            }

            byte[] record = Encode(_generation + 1);
            _journalLength = -1;
            _snapshot.Write(record, 0, _recordLength);
            _lastSnapshotLength = _recordLength;
            Writes++;
            Snapshots++;
            _generation++;
            _hasSnapshot = true;
            header.Header(_generation);
            _journal.Reset(header.Buffer, 0, header.Length);
            Writes++;
            _journalLength = header.Length;
        }

        private bool IsEmpty()
        {
            return _memory.Counters.Count == 0 && _memory.Results.Count == 0 && _memory.InFlight.Count == 0;
        }

        // No-journal mode: memory already holds the change; on failure it is re-read from the storage.
        private void WriteSnapshotOnly()
        {
            try
            {
                byte[] record = Encode(_generation);
                _snapshot.Write(record, 0, _recordLength);
                Writes++;
                Snapshots++;
            }
            catch (Exception e)
            {
                throw Failed(e);
            }
        }

        private byte[] Encode(uint generation)
        {
            while (true)
            {
                try
                {
                    _recordLength = _codec.Encode(_record, 0, _record.Length, _memory.Counters, _memory.Results, _memory.InFlight, generation);
                    return _record;
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
        }

        // After a failed write the storage may hold the old state, the new one, or a torn tail: re-read it, so memory
        // is what a reboot would find.
        private RelayStoreException Failed(Exception cause)
        {
            try
            {
                Load();
            }
            catch (Exception)
            {
                _broken = true;
            }

            return new RelayStoreException(RelayStoreError.WriteFailed, "The relay store could not write its storage: " + cause.Message, cause);
        }
    }
}
