namespace NanoAgent.Host.Gate;

/// <summary>What a backend concluded about an attested read (<see cref="AttestationVerifier"/>).</summary>
/// <param name="IsAccepted">True when the SE's signature, the freshness and the key check out.</param>
/// <param name="Reason">Why not, or "attested".</param>
/// <param name="Value">The data the SE read from the sensor, or null.</param>
/// <param name="Timestamp">The SE's timestamp, or null.</param>
/// <param name="ChipId">The SE's chip id, or null.</param>
public sealed record AttestationVerdict(bool IsAccepted, string Reason, byte[]? Value, byte[]? Timestamp, byte[]? ChipId)
{
    /// <summary>An accepted read.</summary>
    /// <param name="value">The value read.</param>
    /// <param name="timestamp">The SE's timestamp.</param>
    /// <param name="chipId">The SE's chip id.</param>
    /// <returns>The verdict.</returns>
    public static AttestationVerdict Accepted(byte[] value, byte[] timestamp, byte[] chipId) => new(true, "attested", value, timestamp, chipId);

    /// <summary>A rejected read.</summary>
    /// <param name="reason">Why.</param>
    /// <returns>The verdict.</returns>
    public static AttestationVerdict Rejected(string reason) => new(false, reason, null, null, null);
}
