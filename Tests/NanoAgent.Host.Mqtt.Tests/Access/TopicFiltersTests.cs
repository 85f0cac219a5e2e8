using CsCheck;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Mqtt.Tests.Access;

/// <summary>Topic filter matching and coverage (MQTT 3.1.1 §4.7).</summary>
public class TopicFiltersTests
{
    [Theory]
    [InlineData("nanoagent/dev1/+/script/req", "nanoagent/dev1/acme/script/req", true)]
    [InlineData("nanoagent/dev1/+/script/req", "nanoagent/dev2/acme/script/req", false)]
    [InlineData("nanoagent/dev1/+/script/req", "nanoagent/dev1/acme/script/res", false)]
    [InlineData("nanoagent/dev1/+/script/req", "nanoagent/dev1/acme/x/script/req", false)]
    [InlineData("nanoagent/#", "nanoagent", true)] // §4.7.1.2: '#' also matches the parent level
    [InlineData("nanoagent/#", "nanoagent/dev1/status", true)]
    [InlineData("#", "$SYS/broker/uptime", false)] // §4.7.2
    [InlineData("nanoagent/dev1/status", "nanoagent/dev1/status", true)]
    [InlineData("nanoagent/dev1/status", "nanoagent/dev1/status/", false)]
    [InlineData("nanoagent/dev1/+", "nanoagent/dev1/+", false)] // a topic name has no wildcard
    public void Matches_Examples(string filter, string topic, bool expected) =>
        Assert.Equal(expected, TopicFilters.Matches(filter, topic));

    [Theory]
    [InlineData("nanoagent/dev1/acme/reading/+", "nanoagent/dev1/acme/reading/+", true)]
    [InlineData("nanoagent/dev1/acme/reading/+", "nanoagent/dev1/acme/reading/energy", true)]
    [InlineData("nanoagent/dev1/acme/reading/+", "nanoagent/dev1/+/reading/+", false)]
    [InlineData("nanoagent/dev1/acme/reading/+", "nanoagent/dev1/acme/reading/#", false)]
    [InlineData("nanoagent/dev1/acme/script/res", "nanoagent/#", false)]
    [InlineData("nanoagent/dev1/acme/script/res", "#", false)]
    [InlineData("nanoagent/#", "nanoagent/+/status", true)]
    [InlineData("nanoagent/dev1/+/script/req", "nanoagent/dev1/+/script/req", true)]
    public void Covers_Examples(string rule, string filter, bool expected) =>
        Assert.Equal(expected, TopicFilters.Covers(rule, filter));

    private static readonly Gen<string> Level = Gen.OneOf(Gen.Const("+"), Gen.Const("a"), Gen.Const("b"), Gen.Const(""));

    private static readonly Gen<string> Filter = Gen.Select(Level.Array[1, 4], Gen.Bool, (levels, hash) => string.Join('/', hash ? [.. levels, "#"] : levels));

    private static readonly Gen<string> Topic = Gen.OneOf(Gen.Const("a"), Gen.Const("b"), Gen.Const("")).Array[1, 6].Select(l => string.Join('/', l));

    [Fact]
    public void Covers_Property_EveryTopicTheFilterMatchesTheRuleMatches()
    {
        // The soundness of subscription checks: a covered filter never delivers a topic outside the rule.
        Gen.Select(Filter, Filter, Topic).Sample((rule, filter, topic) =>
            !TopicFilters.Covers(rule, filter) || !TopicFilters.Matches(filter, topic) || TopicFilters.Matches(rule, topic));
    }

    [Fact]
    public void Covers_Property_TopicNameCoveredExactlyWhenMatched()
    {
        Gen.Select(Filter, Topic).Sample((rule, topic) => TopicFilters.Covers(rule, topic) == TopicFilters.Matches(rule, topic));
    }
}
