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
    }
}
