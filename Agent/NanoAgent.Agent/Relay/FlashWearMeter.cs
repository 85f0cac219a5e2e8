namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Counts what the relay store's storages cost the flash, under a plain model of NOR flash: bytes are programmed into
    /// erased space; appending to a file costs no erase; rewriting a file (a snapshot slot, a journal restart) erases every
    /// erase unit the file occupies, once. Without wear levelling the files stay on the same erase units, so the hottest
    /// unit is erased once per rewrite of its file (<see cref="HottestUnitErases"/>); a wear-levelling file system spreads
    /// <see cref="EraseUnits"/> over its partition. Fed by <see cref="WearCountingSlots"/> and <see cref="WearCountingJournal"/>.
    /// </summary>
    public sealed class FlashWearMeter
    {
        private readonly int _eraseUnit;
        private readonly int[] _slotRewrites = new int[2];
        private int _journalLength;

        /// <summary>Creates a meter.</summary>
        /// <param name="eraseUnit">The flash erase unit (sector) in bytes, at least 1.</param>
        public FlashWearMeter(int eraseUnit)
        {
            _eraseUnit = eraseUnit < 1 ? 1 : eraseUnit;
        }

        /// <summary>Gets the erase unit in bytes.</summary>
        public int EraseUnit
        {
            get { return _eraseUnit; }
        }

        /// <summary>Gets the bytes programmed in total.</summary>
        public long BytesWritten { get; private set; }

        /// <summary>Gets the write operations (appends and rewrites).</summary>
        public long WriteOperations { get; private set; }

        /// <summary>Gets the erase units erased in total.</summary>
        public long EraseUnits { get; private set; }

        /// <summary>Gets how often the journal was restarted.</summary>
        public long JournalResets { get; private set; }

        /// <summary>Gets the erase count of the most erased unit when files stay where they are (no wear levelling).</summary>
        public long HottestUnitErases
        {
            get
            {
                long hottest = JournalResets;
                for (int i = 0; i < 2; i++)
                {
                    if (_slotRewrites[i] > hottest)
                    {
                        hottest = _slotRewrites[i];
                    }
                }

                return hottest;
            }
        }

        /// <summary>Records a snapshot slot rewritten with <paramref name="count"/> bytes.</summary>
        /// <param name="slot">0 or 1.</param>
        /// <param name="count">The bytes written.</param>
        public void SlotRewritten(int slot, int count)
        {
            _slotRewrites[slot & 1]++;
            Programmed(count);
            EraseUnits += UnitsOf(count);
        }

        /// <summary>Records bytes appended to the journal.</summary>
        /// <param name="count">The bytes appended.</param>
        public void JournalAppended(int count)
        {
            _journalLength += count;
            Programmed(count);
        }

        /// <summary>Records the journal restarted with <paramref name="count"/> bytes (its old extent is erased).</summary>
        /// <param name="count">The bytes of the new journal.</param>
        public void JournalReset(int count)
        {
            JournalResets++;
            EraseUnits += UnitsOf(_journalLength > count ? _journalLength : count);
            _journalLength = count;
            Programmed(count);
        }

        /// <summary>Clears the counts (the files keep their lengths).</summary>
        public void Clear()
        {
            BytesWritten = 0;
            WriteOperations = 0;
            EraseUnits = 0;
            JournalResets = 0;
            _slotRewrites[0] = 0;
            _slotRewrites[1] = 0;
        }

        private void Programmed(int count)
        {
            BytesWritten += count;
            WriteOperations++;
        }

        private long UnitsOf(int bytes)
        {
            return bytes <= 0 ? 1 : (bytes + _eraseUnit - 1) / _eraseUnit;
        }
    }
}
