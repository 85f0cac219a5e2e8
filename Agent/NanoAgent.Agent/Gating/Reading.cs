namespace NanoAgent.Agent.Gating
{
    /// <summary>One sensor reading: the value bytes (encoding defined by the sensor), its unit and when it was taken.</summary>
    public sealed class Reading
    {
        /// <summary>Creates a reading.</summary>
        /// <param name="unit">The unit, for example "kWh" or "V" (UTF-8, at most 16 bytes).</param>
        /// <param name="timestamp">When it was taken: milliseconds since 1970-01-01 UTC.</param>
        /// <param name="value">The value bytes (at most 64), for example an 8-byte big-endian count of milli-units.</param>
        public Reading(string unit, long timestamp, byte[] value)
        {
            Unit = unit;
            Timestamp = timestamp;
            Value = value;
        }

        /// <summary>Gets the unit.</summary>
        public string Unit { get; }

        /// <summary>Gets the time it was taken, in milliseconds since 1970-01-01 UTC.</summary>
        public long Timestamp { get; }

        /// <summary>Gets the value bytes.</summary>
        public byte[] Value { get; }
    }
}
