namespace NanoAgent.Host.Delivery;

/// <summary>
/// How a sender (<c>backend run</c>, <c>backend actuate</c>, <c>provision</c>) makes delivery end-to-end at-least-once
/// (docs/reliability.md): an unanswered request is published again, byte for byte, every <see cref="Interval"/> and when
/// the broker link comes back, until an answer comes or <see cref="Timeout"/> passes with nothing heard. The agent answers a
/// copy it already handled from its store, so a re-send is never applied twice.
/// </summary>
/// <param name="Timeout">How long to wait with nothing heard from the agent before giving up.</param>
/// <param name="Interval">How long to wait for an answer before sending the same bytes again.</param>
public sealed record ResendPolicy(TimeSpan Timeout, TimeSpan Interval)
{
    /// <summary>The default interval between re-sends.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    /// <summary>Makes a policy with the default interval, shortened to the timeout when that is shorter.</summary>
    /// <param name="timeout">How long to wait in all.</param>
    /// <returns>The policy.</returns>
    public static ResendPolicy For(TimeSpan timeout) => new(timeout, timeout < DefaultInterval ? timeout : DefaultInterval);
}
