namespace NanoAgent.Agent.Messages
{
    /// <summary>A script request (message E1): a tenant's script for its own SD, or the opening of an interactive session.</summary>
    public sealed class ScriptRequest
    {
        /// <summary>Gets or sets the script id, 1 to 32 bytes (a 16-byte UUID or a short string).</summary>
        public byte[] ScriptId { get; set; }

        /// <summary>Gets or sets the tenant id (1 to 32 characters of A-Z a-z 0-9 . _ -).</summary>
        public string TenantId { get; set; }

        /// <summary>Gets or sets the tenant counter (8 bytes); strictly increasing per tenant, within the relay's window.</summary>
        public ulong Counter { get; set; }

        /// <summary>Gets or sets the AID of the target SD (5 to 16 bytes).</summary>
        public byte[] TargetAid { get; set; }

        /// <summary>Gets or sets the mode.</summary>
        public ScriptMode Mode { get; set; }

        /// <summary>Gets or sets how often progress is reported (every N steps; 0: the relay's default).</summary>
        public int ProgressEvery { get; set; }

        /// <summary>Gets or sets a value indicating whether the request clears the tenant's EXTERNAL AUTHENTICATE guard
        /// (field 87, docs/protocol.md §4.5) once it is accepted.</summary>
        public bool ResetAuthGuard { get; set; }

        /// <summary>Gets or sets the tenant whose EXTERNAL AUTHENTICATE guard the owner clears (field 88), or null.
        /// Accepted only from the relay's owner tenant (docs/protocol.md §4.5).</summary>
        public string ResetAuthGuardOf { get; set; }

        /// <summary>Gets or sets the steps (empty for an interactive session).</summary>
        public ScriptStep[] Steps { get; set; }

        /// <summary>Gets or sets the size of the encoded message this request was decoded from (0 when built in code).</summary>
        public int EncodedLength { get; set; }

        /// <summary>Gets or sets the authenticator (field 86: key version || AES-CMAC), null when absent.</summary>
        public byte[] Authenticator { get; set; }

        /// <summary>Gets or sets the encoded message this request was decoded from (not copied), or null.</summary>
        public byte[] Payload { get; set; }

        /// <summary>Gets or sets how many bytes of <see cref="Payload"/> the authenticator covers (all before it).</summary>
        public int SignedLength { get; set; }
    }
}
