namespace NanoAgent.Agent.Messages
{
    /// <summary>Why an agent message could not be decoded or encoded (docs/protocol.md).</summary>
    public enum AgentMessageError
    {
        /// <summary>The payload is empty or ends before the message does.</summary>
        Truncated = 1,

        /// <summary>The first byte is not a protocol version this agent speaks.</summary>
        UnsupportedVersion = 2,

        /// <summary>The outer tag is not a known message type, or another type than the one asked for.</summary>
        UnknownType = 3,

        /// <summary>The BER-TLV structure is broken (bad tag, bad length, trailing bytes).</summary>
        BadTlv = 4,

        /// <summary>A mandatory field is missing.</summary>
        MissingField = 5,

        /// <summary>A field appears twice.</summary>
        DuplicateField = 6,

        /// <summary>A field has a length or value outside its range.</summary>
        InvalidField = 7,

        /// <summary>The message exceeds a protocol limit (payload size, step count).</summary>
        TooLarge = 8,
    }
}
