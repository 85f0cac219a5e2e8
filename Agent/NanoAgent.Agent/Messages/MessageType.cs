namespace NanoAgent.Agent.Messages
{
    /// <summary>The outer BER-TLV tag of each agent message, after the version byte (docs/protocol.md §3).</summary>
    public enum MessageType
    {
        /// <summary>E1: a script request, backend to agent.</summary>
        ScriptRequest = 0xE1,

        /// <summary>E2: one APDU of an interactive session, backend to agent.</summary>
        ApduRequest = 0xE2,

        /// <summary>E3: the answer to an interactive APDU (or to the session opening), agent to backend.</summary>
        ApduResponse = 0xE3,

        /// <summary>E4: progress of a running script, agent to backend.</summary>
        Progress = 0xE4,

        /// <summary>E5: the final result of a script or session, agent to backend.</summary>
        Result = 0xE5,

        /// <summary>E6: the agent status (retained; also the last will), agent to everyone.</summary>
        Status = 0xE6,
    }
}
