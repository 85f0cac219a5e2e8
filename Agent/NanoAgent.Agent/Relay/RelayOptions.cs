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

        /// <summary>
        /// Gets or sets the counter window (default 2^32): a request whose counter is more than this above the tenant's
        /// last accepted counter is refused (docs/protocol.md §4.1), so no request can exhaust the 8-byte counter space.
        /// </summary>
        public ulong CounterWindow { get; set; } = 0x100000000UL;

        /// <summary>
        /// Gets or sets after how many consecutive failed EXTERNAL AUTHENTICATEs on a tenant's SD the relay stops forwarding
        /// INITIALIZE UPDATE to it (default 2, one below the 3 after which SEs commonly block the key set; docs/protocol.md §4.5).
        /// </summary>
        public int AuthFailureLimit { get; set; } = 2;

        /// <summary>
        /// Gets or sets the id of the device owner's tenant (its SD is the ISD), which may clear any tenant's EXTERNAL
        /// AUTHENTICATE guard with an authenticated request (field 88, docs/protocol.md §4.5); null: nobody but the tenant.
        /// </summary>
        public string OwnerTenantId { get; set; }
    }
}
