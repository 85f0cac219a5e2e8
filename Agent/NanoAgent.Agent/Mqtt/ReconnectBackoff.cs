namespace NanoAgent.Agent.Mqtt
{
    /// <summary>Exponential back-off: the delay doubles after each failed attempt, from a minimum up to a maximum.</summary>
    public sealed class ReconnectBackoff
    {
        private readonly int _min;
        private readonly int _max;
        private int _next;

        /// <summary>Creates a back-off.</summary>
        /// <param name="minMilliseconds">The first delay (at least 1).</param>
        /// <param name="maxMilliseconds">The largest delay (at least the first).</param>
        public ReconnectBackoff(int minMilliseconds, int maxMilliseconds)
        {
            _min = minMilliseconds < 1 ? 1 : minMilliseconds;
            _max = maxMilliseconds < _min ? _min : maxMilliseconds;
            _next = _min;
        }

        /// <summary>Returns the delay before the next attempt and doubles it for the one after, capped at the maximum.</summary>
        /// <returns>The delay in milliseconds.</returns>
        public int NextDelay()
        {
            int delay = _next;
            _next = _next > _max / 2 ? _max : _next * 2;
            return delay;
        }

        /// <summary>Starts again from the minimum delay (after a successful connect).</summary>
        public void Reset()
        {
            _next = _min;
        }
    }
}
