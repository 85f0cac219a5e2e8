namespace NanoAgent.Host.Mqtt.Access;

/// <summary>The topic filters one user may subscribe to (read) and publish to (write).</summary>
public sealed class BrokerGrant
{
    /// <summary>Creates a grant.</summary>
    /// <param name="user">The user.</param>
    /// <param name="read">Filters the user may subscribe to (a subscription must be covered by one of them).</param>
    /// <param name="write">Filters the user may publish to.</param>
    public BrokerGrant(BrokerUser user, IReadOnlyList<string> read, IReadOnlyList<string> write)
    {
        User = user ?? throw new ArgumentNullException(nameof(user));
        Read = read ?? throw new ArgumentNullException(nameof(read));
        Write = write ?? throw new ArgumentNullException(nameof(write));
    }

    /// <summary>Gets the user.</summary>
    public BrokerUser User { get; }

    /// <summary>Gets the filters the user may subscribe to.</summary>
    public IReadOnlyList<string> Read { get; }

    /// <summary>Gets the filters the user may publish to.</summary>
    public IReadOnlyList<string> Write { get; }

    /// <summary>Tells whether the user may publish to a topic.</summary>
    /// <param name="topic">The topic name.</param>
    /// <returns>True when a write filter matches it.</returns>
    public bool MayPublish(string topic) => Write.Any(rule => TopicFilters.Matches(rule, topic));

    /// <summary>Tells whether the user may subscribe to a filter.</summary>
    /// <param name="filter">The topic filter.</param>
    /// <returns>True when one read filter covers every topic it can match.</returns>
    public bool MaySubscribe(string filter) => Read.Any(rule => TopicFilters.Covers(rule, filter));
}
