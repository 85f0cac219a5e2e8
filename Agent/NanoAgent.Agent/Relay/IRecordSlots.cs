namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Two raw storage slots (two flash files, two flash pages) under <see cref="TwoSlotRecordStorage"/>. A write to a
    /// slot may tear (a power cut leaves a prefix or garbage in that slot) but never touches the other slot.
    /// </summary>
    public interface IRecordSlots
    {
        /// <summary>Reads a slot.</summary>
        /// <param name="slot">0 or 1.</param>
        /// <returns>A new array with the slot's bytes, or null when the slot was never written.</returns>
        byte[] ReadSlot(int slot);

        /// <summary>Replaces a slot's bytes; returns once they are durable.</summary>
        /// <param name="slot">0 or 1.</param>
        /// <param name="data">Buffer holding the bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        void WriteSlot(int slot, byte[] data, int offset, int count);
    }
}
