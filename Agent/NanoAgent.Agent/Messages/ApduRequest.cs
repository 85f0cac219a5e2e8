namespace NanoAgent.Agent.Messages
{
    /// <summary>One APDU of an interactive session (message E2).</summary>
    public sealed class ApduRequest
    {
        /// <summary>Gets or sets the id of the session (the script id of the request that opened it).</summary>
        public byte[] ScriptId { get; set; }

        /// <summary>Gets or sets the sequence number, from 1, increasing by one per APDU.</summary>
        public int Sequence { get; set; }

        /// <summary>Gets or sets the command APDU, or null for a request that only ends the session.</summary>
        public byte[] Command { get; set; }

        /// <summary>Gets or sets a value indicating whether the session ends after this request.</summary>
        public bool End { get; set; }

        /// <summary>Gets or sets the authenticator (field 84: key version || AES-CMAC), null when absent.</summary>
        public byte[] Authenticator { get; set; }

        /// <summary>Gets or sets the encoded message this request was decoded from (not copied), or null.</summary>
        public byte[] Payload { get; set; }

        /// <summary>Gets or sets how many bytes of <see cref="Payload"/> the authenticator covers (all before it).</summary>
        public int SignedLength { get; set; }
    }
}
