namespace NanoAgent.Host.Gate;

/// <summary>The outcome of <see cref="GateVerifier.Verify"/>: a verdict, a reason, and the reading when it parsed.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Reason">A sentence for logs and the CLI.</param>
/// <param name="Counter">The reading's counter (0 when malformed).</param>
/// <param name="Sensor">The sensor id, or null.</param>
/// <param name="Unit">The unit, or null.</param>
/// <param name="Timestamp">Milliseconds since 1970 (0 when malformed).</param>
/// <param name="Value">The value bytes, or null.</param>
public sealed record GateVerification(
    GateVerdict Verdict, string Reason, ulong Counter, string? Sensor, string? Unit, long Timestamp, byte[]? Value)
{
    /// <summary>Gets a value indicating whether the reading was accepted.</summary>
    public bool IsAccepted => Verdict == GateVerdict.Accepted;
}
