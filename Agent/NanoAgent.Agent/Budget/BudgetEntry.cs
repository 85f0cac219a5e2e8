namespace NanoAgent.Agent.Budget
{
    /// <summary>One line of a <see cref="MemoryBudget"/>: a buffer (or group of buffers) and its size.</summary>
    public sealed class BudgetEntry
    {
        /// <summary>Creates an entry.</summary>
        /// <param name="name">What the buffer is and where it is allocated.</param>
        /// <param name="bytes">Its size in bytes, as configured.</param>
        /// <param name="kind">When it lives.</param>
        public BudgetEntry(string name, long bytes, BudgetKind kind)
        {
            Name = name;
            Bytes = bytes;
            Kind = kind;
        }

        /// <summary>Gets what the buffer is and where it is allocated.</summary>
        public string Name { get; }

        /// <summary>Gets its size in bytes, as configured (array payload only; the runtime adds a small header per array).</summary>
        public long Bytes { get; }

        /// <summary>Gets when it lives.</summary>
        public BudgetKind Kind { get; }
    }
}
