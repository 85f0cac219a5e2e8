namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// An append-only byte journal (one flash file) under <see cref="DurableRelayStore"/>: small change records are appended
    /// to it instead of rewriting the whole state. The contract: <see cref="Append"/> adds bytes at the end and is durable
    /// once it returns; a power cut or an exception during <see cref="Append"/> or <see cref="Reset"/> may leave any prefix
    /// of the new bytes (a torn tail) but never changes bytes written before. The journal's records carry their own CRC.
    /// </summary>
    public interface IJournalStorage
    {
        /// <summary>Reads the whole journal.</summary>
        /// <returns>A new array with the journal's bytes, or null when it was never written.</returns>
        byte[] Read();

        /// <summary>Appends bytes at the end; returns once they are durable.</summary>
        /// <param name="data">Buffer holding the bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        void Append(byte[] data, int offset, int count);

        /// <summary>Replaces the whole journal with the given bytes (a new journal after compaction).</summary>
        /// <param name="data">Buffer holding the bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        void Reset(byte[] data, int offset, int count);
    }
}
