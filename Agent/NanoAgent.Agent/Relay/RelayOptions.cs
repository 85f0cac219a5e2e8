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
        /// INITIALIZE UPDATE to it on its own (default 1; docs/protocol.md §4.5). From then on each authenticated reset grants
        /// one attempt, as long as <see cref="CardAuthFailureLimit"/> leaves room for it.
        /// </summary>
        public int AuthFailureLimit { get; set; } = 1;

        /// <summary>
        /// Gets or sets after how many consecutive failed EXTERNAL AUTHENTICATEs the card blocks the key set for good (default
        /// 3, the virtual SE's <c>CardManagerOptions.MaxFailedAuthentications</c> and a common value of real cards). The relay
        /// never forwards an INITIALIZE UPDATE whose failed authentication would reach it (docs/protocol.md §4.5).
        /// </summary>
        public int CardAuthFailureLimit { get; set; } = 3;

        /// <summary>
        /// Gets or sets the supplementary logical channels the relay gives to sessions, one per session (docs/protocol.md §4.3).
        /// Default 1 to 18: a card with the 19 supplementary channels of ISO/IEC 7816-4, one left for the request verifier.
        /// The agent sets it from the channels the SE opens at start (<see cref="ChannelProbe"/>).
        /// </summary>
        public int[] SessionChannels { get; set; } = DefaultSessionChannels();

        /// <summary>
        /// Gets or sets how many applet sessions an SE05x gives the relay (docs/protocol.md §4.6): the IoT applet holds at most 2
        /// at once (AN12413; se05x-facts §5), so sessions beyond wait for one like for a channel. Used when the relay runs on an
        /// SE05x (it was given the applet link); default 2.
        /// </summary>
        public int Se05xSessions { get; set; } = 2;

        /// <summary>
        /// Gets or sets how long a request may wait for a free channel, in milliseconds (default 20 s, below a backend's
        /// 30 s answer timeout, so it hears "no free channel" rather than nothing). Waiting requests are served first come,
        /// first served.
        /// </summary>
        public int ChannelWaitMilliseconds { get; set; } = 20000;

        /// <summary>
        /// Gets or sets how many requests may wait for a channel at once; more are refused at once. Default 4, for a board's
        /// RAM: a waiting request holds its message and decoded steps (docs/performance.md budget); the PC agent uses 64.
        /// </summary>
        public int MaxWaitingRequests { get; set; } = 4;

        /// <summary>
        /// Gets or sets the id of the device owner's tenant (its SD is the ISD), whose authenticated reset (field 88,
        /// docs/protocol.md §4.5) grants any tenant one more EXTERNAL AUTHENTICATE attempt; null: nobody but the tenant.
        /// </summary>
        public string OwnerTenantId { get; set; }

        private static int[] DefaultSessionChannels()
        {
            int[] channels = new int[18];
            for (int i = 0; i < channels.Length; i++)
            {
                channels[i] = i + 1;
            }

            return channels;
        }
    }
}
