using Xunit.Abstractions;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// Nothing lost under a burst (docs/reliability.md, issue #13): four tenants' backends each publish 500 one-step scripts at
/// once to a real mosquitto with its default limits (max_queued_messages 1000, max_inflight_messages 20), more than it
/// queues for the agent, so it drops some. The senders recover end to end and every request completes exactly once.
/// </summary>
public sealed class BurstDeliveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120); // a bound, not a timing assertion: ~10 s on an idle 2-core machine

    [Fact]
    public async Task Burst_FourPublishersOf500_Mosquitto_EveryRequestCompletedOnce()
    {
        using var rig = new AgentRig();
        using var broker = new TestBroker("mosquitto");
        var host = rig.Start(rig.Options(broker.Address));
        var publishers = AgentRig.AllTenants.Select(t => new BurstPublisher(broker.Address, t, 500)).ToList();
        try
        {
            TimeSpan elapsed = await BurstPublisher.RunAllAsync(publishers, Quiet, Limit);

            int dropped = broker.Output.Count(l => l.Contains("Outgoing messages are being dropped", StringComparison.Ordinal));
            output.WriteLine($"2000 completed in {elapsed.TotalSeconds:0.0} s; re-sent {publishers.Sum(p => p.Resends)}, re-issued {publishers.Sum(p => p.Reissues)}; mosquitto drop warnings {dropped}; agent faults {host.Faults}");
            Assert.All(publishers, p => Assert.Equal(p.Count, p.Completed));
            Assert.All(publishers, p => Assert.All(p.Completions.Values, ids => Assert.Single(ids))); // one request applied per logical one
            Assert.Equal(2000, rig.Se.GetDataCount); // each script's one step reached the SE exactly once
            Assert.Equal(0, host.Faults);
        }
        finally
        {
            publishers.ForEach(p => p.Dispose());
        }
    }
}
