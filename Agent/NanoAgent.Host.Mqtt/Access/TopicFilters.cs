namespace NanoAgent.Host.Mqtt.Access;

/// <summary>
/// MQTT topic filter arithmetic for access rules (MQTT 3.1.1 §4.7): whether a filter matches a topic, and whether a rule's
/// filter covers every topic a subscription's filter can match.
/// </summary>
public static class TopicFilters
{
    /// <summary>Tells whether a topic filter matches a topic name.</summary>
    /// <param name="filter">The filter; <c>+</c> matches one level, a final <c>#</c> the rest (including the parent level).</param>
    /// <param name="topic">The topic name (no wildcards).</param>
    /// <returns>True when the filter matches.</returns>
    public static bool Matches(string filter, string topic)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Contains('+') || topic.Contains('#'))
        {
            return false;
        }

        // MQTT 3.1.1 §4.7.2: a filter starting with a wildcard does not match topics starting with '$'.
        if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#')))
        {
            return false;
        }

        return Covers(filter, topic);
    }

    /// <summary>
    /// Tells whether every topic that <paramref name="filter"/> can match is matched by <paramref name="rule"/>: a
    /// subscription is allowed only when one rule covers it, so a wildcard subscription cannot reach past the rules.
    /// </summary>
    /// <param name="rule">The rule's filter.</param>
    /// <param name="filter">The filter asked for (a topic name is a filter without wildcards).</param>
    /// <returns>True when the rule covers the filter.</returns>
    public static bool Covers(string rule, string filter)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(filter);
        string[] r = rule.Split('/');
        string[] f = filter.Split('/');
        for (int i = 0; i < r.Length; i++)
        {
            if (r[i] == "#")
            {
                return i == r.Length - 1;
            }

            if (i >= f.Length)
            {
                return false;
            }

            if (f[i] == "#")
            {
                return false;
            }

            if (r[i] == "+")
            {
                continue;
            }

            if (r[i] != f[i])
            {
                return false;
            }
        }

        return f.Length == r.Length;
    }
}
