namespace NanoAgent.Agent.Relay
{
    /// <summary>Limits and timings of a <see cref="ScriptRelay"/>.</summary>
    public sealed class RelayOptions
    {
        /// <summary>
        /// Gets or sets the largest command data field a step may carry (1 to 65535, default 255). Longer steps are
        /// rejected rather than chained: chaining changes the class byte, which the backend's C-MAC covers.
        /// </summary>
        public int MaxCommandData { get; set; } = 255;

        /// <summary>Gets or sets the largest response data field accepted (256 to 65536, default 256); sizes the one response buffer.</summary>
        public int MaxResponseData { get; set; } = 256;

        /// <summary>Gets or sets how often a batch script reports progress, in steps, when the request does not say (default 10).</summary>
        public int ProgressEvery { get; set; } = 10;

        /// <summary>Gets or sets how long an interactive session may stay idle before the relay closes it, in milliseconds (default 60 s).</summary>
        public int SessionIdleMilliseconds { get; set; } = 60000;
    }
}
