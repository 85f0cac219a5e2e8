namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// One durable record of bytes (the relay store's state): a flash file, an EEPROM area, a host file. The contract
    /// <see cref="DurableRelayStore"/> relies on: <see cref="Write"/> is atomic (after a power cut at any point, or an
    /// exception out of <see cref="Write"/>, <see cref="Read"/> returns either the previous record or the new one in full,
    /// never a mix or a prefix) and durable once it returns. <see cref="TwoSlotRecordStorage"/> builds that contract over
    /// storage that can tear.
    /// </summary>
    public interface IRecordStorage
    {
        /// <summary>Reads the last record written.</summary>
        /// <returns>A new array holding the record, or null when nothing was ever written.</returns>
        /// <exception cref="RelayStoreException">When the storage holds data but no intact record.</exception>
        byte[] Read();

        /// <summary>Replaces the record, all or nothing; returns once the new record is durable.</summary>
        /// <param name="data">Buffer holding the new record.</param>
        /// <param name="offset">First byte of the record.</param>
        /// <param name="count">Length of the record.</param>
        void Write(byte[] data, int offset, int count);
    }
}
