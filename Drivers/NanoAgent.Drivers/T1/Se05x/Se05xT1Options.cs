namespace NanoAgent.Drivers.T1.Se05x
{
    /// <summary>
    /// Timing and retry settings of <see cref="Se05xT1Protocol"/>. Defaults follow NXP's Plug and Trust host stack
    /// (phNxpEse_Api.c / phNxpEseProto7816_3.h).
    /// </summary>
    public sealed class Se05xT1Options
    {
        /// <summary>Creates the options with their defaults.</summary>
        public Se05xT1Options()
        {
            PollDelayMilliseconds = 1;
            AddressNackRetries = 8;
            CrcRetryLimit = 2;
            DefaultBwtMilliseconds = 1000;
            MaxResponseLength = 65538;
            MaxWtxRequests = 500;
            OpenWithSoftReset = true;
        }

        /// <summary>Gets or sets the delay between two reads while the SE is busy (NXP ESE_POLL_DELAY_MS, 1 ms).</summary>
        public int PollDelayMilliseconds { get; set; }

        /// <summary>Gets or sets how often a write refused by an address NACK is tried again before the SE counts as absent.</summary>
        public int AddressNackRetries { get; set; }

        /// <summary>
        /// Gets or sets how many R-blocks (NACK or re-request) or retransmissions one block may take before the host
        /// resynchronises (NXP MAX_RNACK_RETRY_LIMIT, 2).
        /// </summary>
        public int CrcRetryLimit { get; set; }

        /// <summary>Gets or sets the block waiting time used until an ATR gives one, in milliseconds.</summary>
        public int DefaultBwtMilliseconds { get; set; }

        /// <summary>Gets or sets the largest response accepted, even when the caller's buffer is larger.</summary>
        public int MaxResponseLength { get; set; }

        /// <summary>Gets or sets how many S(WTX) and S(IFS) requests one exchange may see (NXP PH_PROTO_WTX_DEFAULT_COUNT, 500).</summary>
        public int MaxWtxRequests { get; set; }

        /// <summary>Gets or sets whether <see cref="Se05xT1Protocol.Open"/> uses S(INTERFACE SOFT RESET) (true) or S(RESYNCH) then S(GET ATR).</summary>
        public bool OpenWithSoftReset { get; set; }
    }
}
