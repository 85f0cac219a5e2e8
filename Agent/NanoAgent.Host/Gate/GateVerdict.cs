namespace NanoAgent.Host.Gate;

/// <summary>What a backend concluded about a signed reading.</summary>
public enum GateVerdict
{
    /// <summary>MAC (or signature) valid and counter larger than any seen: accepted and the counter saved.</summary>
    Accepted,

    /// <summary>Not a well-formed reading envelope, or for another device or tenant.</summary>
    Malformed,

    /// <summary>The MAC (with the KCV naming our key) or the ECDSA signature does not verify: the content was changed.</summary>
    Tampered,

    /// <summary>The MAC is valid but the counter is not larger than the last seen one.</summary>
    Replayed,

    /// <summary>The MAC was made with another key: the KCV in the envelope is not our key's.</summary>
    WrongKey,
}
