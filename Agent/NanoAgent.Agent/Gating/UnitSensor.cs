namespace NanoAgent.Agent.Gating
{
    /// <summary>A sensor whose readings carry a configured unit instead of the driver's (<c>sensor.&lt;id&gt;.unit</c>).</summary>
    public sealed class UnitSensor : ISensor
    {
        private readonly ISensor _inner;
        private readonly string _unit;

        /// <summary>Wraps a sensor.</summary>
        /// <param name="inner">The driver.</param>
        /// <param name="unit">The unit every reading gets (UTF-8, at most 16 bytes).</param>
        public UnitSensor(ISensor inner, string unit)
        {
            _inner = inner;
            _unit = unit;
        }

        /// <inheritdoc />
        public Reading Read()
        {
            Reading r = _inner.Read();
            return r == null ? null : new Reading(_unit, r.Timestamp, r.Value);
        }
    }
}
