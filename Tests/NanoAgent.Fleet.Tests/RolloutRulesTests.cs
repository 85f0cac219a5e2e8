namespace NanoAgent.Fleet.Tests;

public class RolloutRulesTests
{
    [Fact]
    public void RetryDelay_DoublesFromTheBaseUpToTheMaximum()
    {
        var rules = new RolloutRules { RetryBase = TimeSpan.FromSeconds(10), RetryMax = TimeSpan.FromSeconds(60) };

        Assert.Equal([10, 20, 40, 60, 60], new[] { 1, 2, 3, 4, 30 }.Select(a => rules.RetryDelay(a).TotalSeconds));
    }

    [Theory]
    [InlineData(19, 10, false)] // below the minimum
    [InlineData(20, 2, false)]  // 10 % is not more than 10 %
    [InlineData(20, 3, true)]
    [InlineData(1000, 101, true)]
    public void ShouldAbort_OnlyAfterTheMinimumAndAboveThePercentage(long finished, long failures, bool abort)
    {
        Assert.Equal(abort, new RolloutRules { AbortPercent = 10, AbortMinDevices = 20 }.ShouldAbort(finished, failures));
    }

    [Fact]
    public void Problem_NamesTheOptionOutOfRange()
    {
        Assert.Null(new RolloutRules().Problem());
        Assert.Contains("--max-in-flight", new RolloutRules { MaxInFlight = 0 }.Problem(), StringComparison.Ordinal);
        Assert.Contains("--abort-percent", new RolloutRules { AbortPercent = 101 }.Problem(), StringComparison.Ordinal);
        Assert.Contains("--retry-max", new RolloutRules { RetryBase = TimeSpan.FromMinutes(5), RetryMax = TimeSpan.FromMinutes(1) }.Problem(), StringComparison.Ordinal);
    }
}
