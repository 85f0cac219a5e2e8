namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>Settings of a <see cref="GpT1Protocol"/>; the defaults suit the SEs we know.</summary>
    public sealed class GpT1Options
    {
        /// <summary>Gets or sets how many times one block is repeated or NACKed before the link is resynchronised (ISO/IEC 7816-3 §11.6.3.2 allows 2 or more).</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>Gets or sets the shortest pause between two read polls in milliseconds; the CIP's MPOT raises it.</summary>
        public int PollIntervalMs { get; set; } = 1;

        /// <summary>Gets or sets the block waiting time used before the CIP is known, in milliseconds.</summary>
        public int DefaultBwtMs { get; set; } = 300;

        /// <summary>Gets or sets the IFSC assumed before the CIP is known.</summary>
        public int DefaultIfsc { get; set; } = 0xFE;

        /// <summary>Gets or sets the IFSD proposed with S(IFS) at activation when <see cref="NegotiateIfsd"/> is set.</summary>
        public int Ifsd { get; set; } = 0xFE;

        /// <summary>Gets or sets whether activation proposes <see cref="Ifsd"/> to the SE.</summary>
        public bool NegotiateIfsd { get; set; } = true;

        /// <summary>Gets or sets the largest INF the block buffers hold (both directions); buffers are sized once from it.</summary>
        public int MaxInformationSize { get; set; } = GpFrameCodec.MaxIfs;

        /// <summary>Gets or sets the largest response accepted (including a response drained after overflow).</summary>
        public int MaxResponseSize { get; set; } = 65538;

        /// <summary>Gets or sets how many S(WTX) requests one APDU may receive before the host gives up.</summary>
        public int MaxWtxRequests { get; set; } = 64;

        /// <summary>
        /// Options for a device with a small heap: block buffers for an INF of 254 bytes (2 × 260 bytes instead of 2 × 4,095);
        /// an SE offering a larger IFSC is used at 254, which costs only more blocks per long APDU.
        /// </summary>
        /// <returns>New options.</returns>
        public static GpT1Options Compact()
        {
            GpT1Options options = new GpT1Options();
            options.MaxInformationSize = 0xFE;
            return options;
        }

        /// <summary>Gets or sets whether activation reads the CIP before S(RESYNCH) (true) or after it (false); both orders are used in the field.</summary>
        public bool CipBeforeResynch { get; set; } = true;
    }
}
