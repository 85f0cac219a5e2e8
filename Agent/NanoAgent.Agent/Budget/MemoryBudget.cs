using System;
using System.Collections;

namespace NanoAgent.Agent.Budget
{
    /// <summary>
    /// A list of buffers against a managed heap size: the agent's static buffers plus the worst case of one message in
    /// flight. Built by <see cref="AgentMemoryBudget.Create"/> from the real option and constant values.
    /// </summary>
    public sealed class MemoryBudget
    {
        /// <summary>
        /// The ESP32 nanoFramework managed heap without PSRAM: on the order of 100 KB (/work/shared/protocol-facts.md,
        /// "ESP32 managed heap without PSRAM is on the order of 100 KB").
        /// </summary>
        public const long Esp32HeapBytes = 100 * 1024;

        /// <summary>The share of the heap kept free for the runtime, strings, the MQTT client, threads and fragmentation.</summary>
        public const int DefaultReservePercent = 40;

        private readonly ArrayList _entries = new ArrayList();

        /// <summary>Creates an empty budget.</summary>
        /// <param name="heapBytes">The managed heap available (e.g. <see cref="Esp32HeapBytes"/>).</param>
        /// <exception cref="ArgumentOutOfRangeException">When the heap is not positive.</exception>
        public MemoryBudget(long heapBytes)
        {
            if (heapBytes <= 0)
            {
                throw new ArgumentOutOfRangeException("heapBytes");
            }

            HeapBytes = heapBytes;
        }

        /// <summary>Gets the managed heap available.</summary>
        public long HeapBytes { get; }

        /// <summary>Gets the number of entries.</summary>
        public int Count => _entries.Count;

        /// <summary>Gets the bytes of every <see cref="BudgetKind.Static"/> entry.</summary>
        public long StaticBytes => Sum(BudgetKind.Static);

        /// <summary>Gets the bytes of every <see cref="BudgetKind.PerMessage"/> entry.</summary>
        public long PerMessageBytes => Sum(BudgetKind.PerMessage);

        /// <summary>Gets the bytes of every entry.</summary>
        public long TotalBytes => StaticBytes + PerMessageBytes;

        /// <summary>Gets the heap left after every entry (negative when over).</summary>
        public long FreeBytes => HeapBytes - TotalBytes;

        /// <summary>Gets an entry.</summary>
        /// <param name="index">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The entry.</returns>
        public BudgetEntry this[int index] => (BudgetEntry)_entries[index];

        /// <summary>Adds an entry.</summary>
        /// <param name="name">What the buffer is.</param>
        /// <param name="bytes">Its size (0 or more).</param>
        /// <param name="kind">When it lives.</param>
        /// <exception cref="ArgumentOutOfRangeException">When the size is negative.</exception>
        public void Add(string name, long bytes, BudgetKind kind)
        {
            if (bytes < 0)
            {
                throw new ArgumentOutOfRangeException("bytes");
            }

            _entries.Add(new BudgetEntry(name, bytes, kind));
        }

        /// <summary>Tells whether every entry fits in the heap with a share kept free.</summary>
        /// <param name="reservePercent">Percent of the heap that must stay free (0 to 99).</param>
        /// <returns>True when <see cref="TotalBytes"/> is at most (100 - reservePercent) % of the heap.</returns>
        public bool Fits(int reservePercent)
        {
            if (reservePercent < 0 || reservePercent > 99)
            {
                throw new ArgumentOutOfRangeException("reservePercent");
            }

            return TotalBytes * 100 <= HeapBytes * (100 - reservePercent);
        }

        private long Sum(BudgetKind kind)
        {
            long total = 0;
            for (int i = 0; i < _entries.Count; i++)
            {
                BudgetEntry e = (BudgetEntry)_entries[i];
                if (e.Kind == kind)
                {
                    total += e.Bytes;
                }
            }

            return total;
        }
    }
}
