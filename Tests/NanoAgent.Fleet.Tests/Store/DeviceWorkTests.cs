using NanoAgent.Fleet.Store;

namespace NanoAgent.Fleet.Tests.Store;

[Collection(DatabaseCollection.Name)]
public class DeviceWorkTests(Databases databases)
{
    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Claim_TwoWorkers_ShareTheInFlightLimitAndNeverTheSameDevice(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        Campaigns.Create(db, "c", 30, new RolloutRules { MaxInFlight = 7 });
        var a = new DeviceWork(db, "c", "worker-a");
        var b = new DeviceWork(db, "c", "worker-b");

        List<DeviceClaim> first = a.Claim(5).Claims;
        List<DeviceClaim> second = b.Claim(5).Claims;

        Assert.Equal(5, first.Count);
        Assert.Equal(2, second.Count); // 7 in flight across both workers
        Assert.Empty(first.Select(c => c.Device).Intersect(second.Select(c => c.Device)));
        Assert.Equal(["meter-0001", "meter-0002", "meter-0003", "meter-0004", "meter-0005"], first.Select(c => c.Device));
        Assert.All(first, c => Assert.Equal(1, c.Attempts));
        Assert.Empty(a.Claim(5).Claims);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Claim_ConcurrentWorkers_EveryDeviceClaimedOnce(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        Campaigns.Create(db, "c", 120, new RolloutRules { MaxInFlight = 1000 });
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 4, w =>
        {
            var work = new DeviceWork(db, "c", $"w{w}");
            for (int i = 0; i < 20; i++)
            {
                foreach (DeviceClaim c in work.Claim(3).Claims)
                {
                    claimed.Add(c.Device);
                    Assert.True(work.Finish(c.Device, new DeviceOutcome { State = DeviceState.Succeeded }));
                }
            }
        });

        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.Equal(120, new CampaignStore(db).CountByState("c")[DeviceState.Succeeded]);
        Assert.Equal(CampaignState.Finished, new CampaignStore(db).Get("c").State);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Claim_MaxPerMinute_LimitsStartsButNotTakeOvers(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        Campaigns.Create(db, "c", 20, new RolloutRules { MaxInFlight = 20, MaxPerMinute = 3, Lease = TimeSpan.FromMilliseconds(300) });
        var a = new DeviceWork(db, "c", "a");
        var b = new DeviceWork(db, "c", "b");

        Assert.Equal(3, a.Claim(10).Claims.Count);
        Assert.Empty(b.Claim(10).Claims);
        Thread.Sleep(500);

        List<DeviceClaim> taken = b.Claim(10).Claims;
        Assert.Equal(3, taken.Count);
        Assert.All(taken, c => Assert.Equal("a", c.TakenFrom));
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Lease_Expired_AnotherWorkerTakesOverWithTheRecordedRequest(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        Campaigns.Create(db, "c", 2, new RolloutRules { MaxInFlight = 5, Lease = TimeSpan.FromMilliseconds(400) });
        var a = new DeviceWork(db, "c", "a");
        var b = new DeviceWork(db, "c", "b");
        DeviceClaim claim = a.Claim(1).Claims.Single();
        SentRequest sent = a.RecordRequest("acme", claim.Device, Campaigns.Request)!;

        Assert.DoesNotContain(b.Claim(1).Claims, c => c.Device == claim.Device); // lease still held
        Thread.Sleep(600);
        DeviceClaim taken = b.Claim(2).Claims.Single(c => c.Device == claim.Device);

        Assert.Equal("a", taken.TakenFrom);
        Assert.Equal(claim.StartedMs, taken.StartedMs);
        Assert.Equal(1, taken.Attempts);
        Assert.Equal(sent.Request, taken.Sent!.Request);
        Assert.Equal(sent.ScriptId, taken.Sent.ScriptId);
        Assert.Equal(sent.TenantCounter, taken.Sent.TenantCounter);

        // The old holder can record nothing any more; the new one can.
        Assert.Null(a.RecordRequest("acme", claim.Device, Campaigns.Request));
        Assert.False(a.Finish(claim.Device, new DeviceOutcome { State = DeviceState.Succeeded }));
        Assert.False(a.Requeue(claim.Device, TimeSpan.Zero, "x"));
        Assert.True(b.Finish(claim.Device, new DeviceOutcome { State = DeviceState.Succeeded }));
        var events = new CampaignStore(db).Events("c", claim.Device);
        Assert.Equal(["in_progress", "in_progress", "succeeded"], events.Select(e => e.To));
        Assert.Contains("taken over from a", events[1].Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Lease_RenewedOrReleased(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        Campaigns.Create(db, "c", 3, new RolloutRules { MaxInFlight = 5, Lease = TimeSpan.FromMilliseconds(600) });
        var a = new DeviceWork(db, "c", "a");
        var b = new DeviceWork(db, "c", "b");
        Assert.Equal(3, a.Claim(3).Claims.Count);

        for (int i = 0; i < 4; i++)
        {
            Thread.Sleep(250);
            Assert.Equal(3, a.RenewLeases());
        }

        Assert.Empty(b.Claim(3).Claims);
        Assert.Equal(3, a.ReleaseLeases());
        Assert.Equal(3, b.Claim(3).Claims.Count);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void RecordRequest_CountersRiseForEveryRequestOfADevice(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        Campaigns.Create(db, "c", 1);
        var a = new DeviceWork(db, "c", "a");
        string device = a.Claim(1).Claims.Single().Device;
        long unix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        long c1 = a.RecordRequest("acme", device, Campaigns.Request)!.TenantCounter;
        long c2 = a.NextCounter("acme", device)!.Value;
        long c3 = a.RecordRequest("acme", device, Campaigns.Request)!.TenantCounter;
        long c4 = a.NextCounter("acme", device, atLeast: c3 + 65536)!.Value;

        Assert.True(c1 >= unix);
        Assert.True(c2 > c1 && c3 > c2, $"{c1} {c2} {c3}");
        Assert.True(c4 >= c3 + 65536);
        Assert.Equal(2, new CampaignStore(db).Devices("c").Single().Sends);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Claim_ReservesTwoCountersPerDevice_NeverTakenAgain(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        Campaigns.Create(db, "c", 1, new RolloutRules { MaxInFlight = 5, Lease = TimeSpan.FromMilliseconds(200) });
        var a = new DeviceWork(db, "c", "a");
        var b = new DeviceWork(db, "c", "b");
        long unix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        DeviceClaim first = a.Claim(1).Claims.Single();
        SentRequest sent = a.RecordRequest("acme", first.Device, Campaigns.Request, first.Counter + 1)!;
        Thread.Sleep(400);
        DeviceClaim taken = b.Claim(1).Claims.Single();
        long next = b.NextCounter("acme", first.Device)!.Value;

        Assert.True(first.Counter >= unix);
        Assert.Equal(first.Counter + 1, sent.TenantCounter);
        Assert.True(taken.Counter > sent.TenantCounter, $"{taken.Counter} after {sent.TenantCounter}");
        Assert.True(next > taken.Counter + 1);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Requeue_WaitsTheRetryDelayAndKeepsTheRecordedRequest(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        Campaigns.Create(db, "c", 1);
        var a = new DeviceWork(db, "c", "a");
        string device = a.Claim(1).Claims.Single().Device;
        SentRequest sent = a.RecordRequest("acme", device, Campaigns.Request)!;

        Assert.True(a.Requeue(device, TimeSpan.FromMilliseconds(400), "offline"));
        Assert.Empty(a.Claim(1).Claims);
        Thread.Sleep(600);
        DeviceClaim again = a.Claim(1).Claims.Single();

        Assert.Equal(2, again.Attempts);
        Assert.Equal(sent.Request, again.Sent!.Request);
        Assert.True(a.ForgetRequest(device));
        Assert.True(a.Requeue(device, TimeSpan.Zero, "busy"));
        Assert.Null(a.Claim(1).Claims.Single().Sent);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Facts_AreKeptPerTenantDeviceAndSd(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        Campaigns.Create(db, "c", 1);
        var a = new DeviceWork(db, "c", "a");
        byte[] div = Convert.FromHexString("4E41534500000001" + "0000");

        Assert.Null(a.Facts("acme", "meter-0001", "A0000001515350410A"));
        a.PutFacts("acme", "meter-0001", "A0000001515350410A", new DeviceFacts(4, 0x70, div));
        a.PutFacts("acme", "meter-0001", "A0000001515350410A", new DeviceFacts(5, 0x70, null));

        DeviceFacts facts = a.Facts("acme", "meter-0001", "A0000001515350410A")!;
        Assert.Equal(5, facts.SequenceCounter);
        Assert.Equal(div, facts.Diversification); // kept when a later record has none
        Assert.Null(a.Facts("beta", "meter-0001", "A0000001515350410A"));
    }
}
