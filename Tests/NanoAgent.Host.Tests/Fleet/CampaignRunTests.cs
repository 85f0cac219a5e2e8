using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Fleet;
using NanoAgent.Host.Tests.Backend;

namespace NanoAgent.Host.Tests.Fleet;

[Collection(FleetCollection.Name)]
public class CampaignRunTests(FleetDatabases databases)
{
    [Theory]
    [MemberData(nameof(FleetDatabases.Kinds), MemberType = typeof(FleetDatabases))]
    public void Run_BatchCampaign_EveryDeviceSucceedsOnce_CheckedOnTheSe(string kind)
    {
        using var rig = new FleetRig(12);
        string db = databases.NewSpec(kind);
        CampaignStore store = rig.Create(db, "rotate", rig.Ids);

        (int exit, string output, string error) = rig.Run(db, "rotate");

        Assert.True(exit == 0, output + error);
        Assert.Contains("campaign rotate: finished", output, StringComparison.Ordinal);
        Assert.Matches(@"worker-stats: cpu_ms=\d+ peak_rss_kb=\d+ devices=12", output);
        Assert.Equal(12, store.CountByState("rotate")[DeviceState.Succeeded]);
        foreach (string id in rig.Ids)
        {
            Assert.Equal(9, rig.StoreDataCount(id));   // the script's 9 STORE DATA ran once
            Assert.Equal(2, rig.SequenceCounter(id));  // one session to learn the SD's facts, one for the script
            Assert.Equal(9, rig[id].Domain(FleetRig.Sd)!.StoredData.Keys.Count(k => k.StartsWith("DF2", StringComparison.Ordinal)));
        }

        DeviceRecord d = store.Devices("rotate", "sim-0003").Single();
        Assert.Equal((12, 12, 0x9000, 1, 1), (d.StepsTotal, d.StepsPassed, d.LastSw, d.Attempts, d.Sends));
        Assert.Contains("\"name\":\"EXTERNAL AUTHENTICATE\"", d.StepsJson, StringComparison.Ordinal);

        // The next campaign uses the facts learned: no extra session.
        rig.Create(db, "again", rig.Ids);
        Assert.Equal(0, rig.Run(db, "again").Exit);
        Assert.All(rig.Ids, id => Assert.Equal((18, 3), (rig.StoreDataCount(id), rig.SequenceCounter(id))));
    }

    [Theory]
    [MemberData(nameof(FleetDatabases.Kinds), MemberType = typeof(FleetDatabases))]
    public void Run_InteractiveCampaign_Succeeds(string kind)
    {
        using var rig = new FleetRig(4);
        string db = databases.NewSpec(kind);
        CampaignStore store = rig.Create(db, "live", rig.Ids, mode: "interactive");

        (int exit, string output, string error) = rig.Run(db, "live");

        Assert.True(exit == 0, output + error);
        Assert.Equal(4, store.CountByState("live")[DeviceState.Succeeded]);
        Assert.All(rig.Ids, id => Assert.Equal(9, rig.StoreDataCount(id)));
    }

    [Theory]
    [MemberData(nameof(FleetDatabases.Kinds), MemberType = typeof(FleetDatabases))]
    public async Task Run_OfflineDevices_RetriedWithBackOff_ThenTimedOutOrDoneWhenTheyComeOnline(string kind)
    {
        using var rig = new FleetRig(2);
        string db = databases.NewSpec(kind);
        var rules = new RolloutRules { MaxInFlight = 8, MaxAttempts = 3, RetryBase = TimeSpan.FromMilliseconds(1500), RetryMax = TimeSpan.FromSeconds(3), AbortPercent = 100 };
        CampaignStore store = rig.Create(db, "late", ["sim-0001", "late-0001", "ghost-0001", "sim-0002"], rules);

        var run = Task.Run(() => rig.Run(db, "late"));
        Assert.True(SpinWait.SpinUntil(() => store.Devices("late", "late-0001").Single() is { Attempts: 1, State: DeviceState.Queued }, TimeSpan.FromSeconds(30)));
        rig.AddDevices(1, "late-");  // comes online while waiting for its retry: its retained status wakes it
        (int exit, _, _) = await run;

        Assert.Equal(1, exit); // one device never came
        var devices = store.Devices("late").ToDictionary(d => d.Device);
        Assert.Equal(DeviceState.Succeeded, devices["late-0001"].State);
        Assert.True(devices["late-0001"].Attempts >= 2);
        Assert.Equal(DeviceState.TimedOut, devices["ghost-0001"].State);
        Assert.Equal(3, devices["ghost-0001"].Attempts);
        Assert.Contains("no status from the device", devices["ghost-0001"].Detail, StringComparison.Ordinal);
        Assert.Equal(9, rig.StoreDataCount("late-0001"));
        Assert.Contains(store.Events("late", "ghost-0001"), e => e.To == "queued");
    }

    [Theory]
    [MemberData(nameof(FleetDatabases.Kinds), MemberType = typeof(FleetDatabases))]
    public void Run_WrongRequestKey_RejectedThenAborted_ResumeWithTheRightKeyFinishes(string kind)
    {
        using var rig = new FleetRig(10);
        string db = databases.NewSpec(kind);
        var rules = new RolloutRules { MaxInFlight = 1, AbortPercent = 50, AbortMinDevices = 3 };
        CampaignStore store = rig.Create(db, "keys", rig.Ids, rules);
        string wrong = Path.Combine(rig.Dir, "wrong-request.keys");
        AgentRig.WriteKeys(wrong, 0x60, 0x77);

        (int exit, string output, _) = rig.Run(db, "keys", requestKey: wrong);

        Assert.Equal(1, exit);
        CampaignRecord aborted = store.Get("keys");
        Assert.Equal(CampaignState.Aborted, aborted.State);
        Assert.Equal(3, aborted.Count(DeviceState.Rejected));
        Assert.Contains("NotAuthenticated", store.Devices("keys").First().Detail, StringComparison.Ordinal);
        Assert.Equal(7, store.CountByState("keys")[DeviceState.Queued]);
        Assert.All(rig.Ids, id => Assert.Equal(0, rig.StoreDataCount(id)));

        // Without --resume nothing starts; with it the rest runs.
        Assert.Equal(1, rig.Run(db, "keys").Exit);
        Assert.Equal(7, store.CountByState("keys")[DeviceState.Queued]);
        (exit, output, _) = rig.Run(db, "keys", resume: true);
        Assert.Equal(1, exit); // 3 devices stay rejected
        Assert.Equal(7, store.CountByState("keys")[DeviceState.Succeeded]);
        Assert.Equal(CampaignState.Finished, store.Get("keys").State);
    }

    [Theory]
    [MemberData(nameof(FleetDatabases.Kinds), MemberType = typeof(FleetDatabases))]
    public void Run_FailingStep_DevicesFailAndTheCampaignAborts(string kind)
    {
        using var rig = new FleetRig(8);
        string db = databases.NewSpec(kind);
        string script = "sd " + FleetScripts.DefaultSd + "\n80E2900004DF200101\n80CADF2200 expect 9000\n"; // DF22 was never stored: 6A88
        CampaignStore store = rig.Create(db, "bad", rig.Ids, new RolloutRules { MaxInFlight = 2, AbortPercent = 20, AbortMinDevices = 4 }, script: script);

        (int exit, _, _) = rig.Run(db, "bad");

        Assert.Equal(1, exit);
        CampaignRecord c = store.Get("bad");
        Assert.Equal(CampaignState.Aborted, c.State);
        Assert.InRange(c.Count(DeviceState.Failed), 4, 5); // the one in flight when the rule fired finishes too
        DeviceRecord failed = store.Devices("bad").First(d => d.State == DeviceState.Failed);
        Assert.Equal(0x6A88, failed.LastSw);
        Assert.Contains("answered 6A88, expected 9000", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_KeySourceFails_DeviceFailedWithWhy_WorkerGoesOn()
    {
        using var rig = new FleetRig(3);
        string db = databases.NewSpec("sqlite");
        CampaignStore store = rig.Create(db, "hsm", rig.Ids, new RolloutRules { AbortPercent = 100 });
        var output = new StringWriter();

        int exit = new CampaignRunRequest
        {
            Name = "hsm", Db = db, KeySource = new LostToken(), RequestKeyPath = rig.RequestKeyPath, Broker = rig.BrokerUrl,
        }.Execute(output, new StringWriter(), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.All(store.Devices("hsm"), d =>
        {
            Assert.Equal(DeviceState.Failed, d.State);
            Assert.Equal("worker error: InvalidOperationException: the token was removed", d.Detail);
        });
        Assert.Contains("keys: a token that is gone", output.ToString(), StringComparison.Ordinal);
        Assert.All(rig.Ids, id => Assert.Equal(0, rig.StoreDataCount(id)));
    }

    private sealed class LostToken : NanoAgent.Drivers.Host.Keys.IDeviceKeySource
    {
        public string Description => "a token that is gone";

        public NanoAgent.Drivers.Scp03.Scp03StaticKeys KeysFor(byte keyVersion, byte[] diversificationData) =>
            throw new InvalidOperationException("the token was removed");

        public void Dispose()
        {
        }
    }
}
