namespace NanoAgent.Host.Mqtt.Access;

/// <summary>The topic filters one user may subscribe to (read) and publish to (write).</summary>
public sealed class BrokerGrant
{
    private const string AnyDevice = "nanoagent/+/";

    /// <summary>Creates a grant.</summary>
    /// <param name="user">The user.</param>
    /// <param name="read">Filters the user may subscribe to (a subscription must be covered by one of them).</param>
    /// <param name="write">Filters the user may publish to.</param>
    /// <param name="readEveryDevice">For a user whose rules name every served device (tenant, owner, provision <c>*</c>):
    /// its read rules with <c>+</c> at the device level, which cover a subscription with <c>+</c> there; null for none.</param>
    public BrokerGrant(BrokerUser user, IReadOnlyList<string> read, IReadOnlyList<string> write, IReadOnlyList<string>? readEveryDevice = null)
    {
        User = user ?? throw new ArgumentNullException(nameof(user));
        Read = read ?? throw new ArgumentNullException(nameof(read));
        Write = write ?? throw new ArgumentNullException(nameof(write));
        ReadEveryDevice = readEveryDevice ?? [];
    }

    /// <summary>Gets the user.</summary>
    public BrokerUser User { get; }

    /// <summary>Gets the filters the user may subscribe to.</summary>
    public IReadOnlyList<string> Read { get; }

    /// <summary>Gets the filters the user may publish to.</summary>
    public IReadOnlyList<string> Write { get; }

    /// <summary>Gets the read rules with <c>+</c> for the device, for a user whose rules name every served device (else empty).</summary>
    public IReadOnlyList<string> ReadEveryDevice { get; }

    /// <summary>Tells whether the user may publish to a topic.</summary>
    /// <param name="topic">The topic name.</param>
    /// <returns>True when a write filter matches it.</returns>
    public bool MayPublish(string topic) => Write.Any(rule => TopicFilters.Matches(rule, topic));

    /// <summary>
    /// Tells whether the user may subscribe to a filter: one read rule covers every topic it can match; or, for a filter
    /// with <c>+</c> at the device level (<c>nanoagent/+/acme/script/res</c>, a campaign worker's, docs/fleet.md), one of
    /// <see cref="ReadEveryDevice"/> covers it. Such a filter also matches devices nobody serves, but nobody may publish
    /// there (an agent writes its own device's topics only), so it delivers what the per-device rules would.
    /// </summary>
    /// <param name="filter">The topic filter.</param>
    /// <returns>True when the user may subscribe.</returns>
    public bool MaySubscribe(string filter) =>
        Read.Any(rule => TopicFilters.Covers(rule, filter))
        || (filter.StartsWith(AnyDevice, StringComparison.Ordinal) && ReadEveryDevice.Any(rule => TopicFilters.Covers(rule, filter)));
}
