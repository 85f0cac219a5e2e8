namespace NanoAgent.Agent.Messages
{
    /// <summary>The answer to an interactive APDU, or to the opening of a session (sequence 0) (message E3).</summary>
    public sealed class ApduResponse
    {
        /// <summary>Gets or sets the session id.</summary>
        public byte[] ScriptId { get; set; }

        /// <summary>Gets or sets the sequence number answered (0 for the session opening).</summary>
        public int Sequence { get; set; }

        /// <summary>Gets or sets the response APDU (data and status word), or null when nothing reached the SE.</summary>
        public byte[] Response { get; set; }

        /// <summary>Gets or sets why the APDU was refused, or <see cref="RejectReason.None"/>.</summary>
        public RejectReason Reason { get; set; }
    }
}
