using System;
using System.Collections;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// The storage side of <see cref="DurableRelayStore"/>: loads the snapshot and replays the journal that continues it
    /// into <see cref="Memory"/>, appends change records, writes a snapshot and restarts the journal when it is full, torn or
    /// absent, and re-reads the storage after a failed write so <see cref="Memory"/> is what a reboot would find. Not
    /// thread-safe: the store locks.
    /// </summary>
    internal sealed class RelayStoreMedia
    {
        private readonly IRecordStorage _snapshot;
        private readonly IJournalStorage _journal;
        private readonly int _resultsPerTenant;
        private readonly int _journalLimit;
        private readonly RelayStoreCodec _codec = new RelayStoreCodec();
        private byte[] _record = new byte[512];
        private int _recordLength;
        private uint _generation;
        private int _journalLength;
        private int _lastSnapshotLength;
        private bool _hasSnapshot;
        private bool _broken;

        /// <summary>Opens the media and loads the state.</summary>
        /// <exception cref="RelayStoreException">When the snapshot or the journal cannot be read.</exception>
        public RelayStoreMedia(IRecordStorage snapshot, IJournalStorage journal, int resultsPerTenant, int journalLimit)
        {
            _snapshot = snapshot;
            _journal = journal;
            _resultsPerTenant = resultsPerTenant;
            _journalLimit = journalLimit;
            Load();
        }

        /// <summary>Gets the state as the storage holds it.</summary>
        public InMemoryRelayStore Memory { get; private set; }

        /// <summary>Gets whether changes are appended to a journal (else each rewrites the snapshot).</summary>
        public bool HasJournal
        {
            get { return _journal != null; }
        }

        /// <summary>Gets how many writes were made (snapshots, journal restarts and appends).</summary>
        public int Writes { get; private set; }

        /// <summary>Gets how many snapshots were written.</summary>
        public int Snapshots { get; private set; }

        /// <summary>Throws when an earlier failure left the storage unreadable.</summary>
        /// <exception cref="RelayStoreException">When the media is broken.</exception>
        public void CheckUsable()
        {
            if (_broken)
            {
                throw new RelayStoreException(RelayStoreError.WriteFailed, "An earlier write failed and the storage could not be read back; reopen the store.");
            }
        }

        private void Load()
        {
            Hashtable counters = new Hashtable(), results = new Hashtable(), runs = new Hashtable(), authFailures = new Hashtable();
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
            _generation = record == null ? 0 : RelayStoreCodec.Decode(record, counters, results, runs, authFailures);
            Memory = new InMemoryRelayStore(_resultsPerTenant, counters, results, runs, authFailures);

            if (_journal == null)
            {
                _journalLength = 0;
                return;
            }

            // -1: no journal continues the snapshot (none yet, stale, torn header) or its tail is torn (appending after it
            // would bury later records behind garbage): the next change writes a snapshot and restarts the journal first.
            byte[] journal = _journal.Read();
            _journalLength = RelayJournalReader.Replay(journal, _generation, Memory);
            if (unreadable != null && _journalLength < 0)
            {
                throw unreadable;
            }

            if (_journalLength >= 0 && _journalLength != journal.Length)
            {
                _journalLength = -1;
            }
        }

        /// <summary>Makes room (snapshot + new journal) when needed, then appends the record; the caller applies the change to <see cref="Memory"/> only after this returns.</summary>
        /// <param name="writer">Holds the encoded record.</param>
        /// <exception cref="RelayStoreException">When a write fails (<see cref="Memory"/> is then re-read from the storage).</exception>
        public void Append(RelayJournalWriter writer)
        {
            try
            {
                // The journal may grow to twice the last snapshot, so snapshots cost at most half a byte per journal byte:
                // a step's cost stays bounded however long the script (a long run's trace makes a large snapshot).
                int limit = _lastSnapshotLength * 2 > _journalLimit ? _lastSnapshotLength * 2 : _journalLimit;
                if (_journalLength < 0 || _journalLength + writer.Length > limit)
                {
                    Compact();
                }

                _journal.Append(writer.Buffer, 0, writer.Length);
                Writes++;
                _journalLength += writer.Length;
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
            return Memory.Counters.Count == 0 && Memory.Results.Count == 0 && Memory.InFlight.Count == 0 && Memory.AuthFailures.Count == 0;
        }

        /// <summary>Writes <see cref="Memory"/>, which already holds the change, as the snapshot (no journal).</summary>
        /// <exception cref="RelayStoreException">When the write fails (<see cref="Memory"/> is then re-read from the storage).</exception>
        public void WriteSnapshot()
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
                    _recordLength = _codec.Encode(_record, 0, _record.Length, Memory.Counters, Memory.Results, Memory.InFlight, Memory.AuthFailures, generation);
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
