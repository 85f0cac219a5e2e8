using NanoAgent.Fleet.Store;

namespace NanoAgent.Fleet.Tests.Store;

[Collection(DatabaseCollection.Name)]
public class CampaignStoreTests(Databases databases)
{
    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Create_StoresDefinitionAndQueuesEveryDeviceInOrder(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        var rules = new RolloutRules { MaxInFlight = 3, MaxPerMinute = 60, AbortPercent = 5, AbortMinDevices = 9, DeviceTimeout = TimeSpan.FromSeconds(42), MaxAttempts = 4 };
        CampaignStore store = Campaigns.Create(db, "rotate-2026", 450, rules);

        CampaignRecord c = store.Get("rotate-2026");

        Assert.Equal(CampaignState.Active, c.State);
        Assert.Equal(450, c.DeviceCount);
        Assert.Equal(rules, c.Definition.Rules);
        Assert.Equal(Campaigns.Define("x").ScriptText, c.Definition.ScriptText);
        Assert.Equal("A0000001515350410A", Convert.ToHexString(c.Definition.Sd));
        Assert.Equal(450, store.CountByState("rotate-2026")[DeviceState.Queued]);
        Assert.Equal(Campaigns.DeviceIds(450), store.Devices("rotate-2026").Select(d => d.Device));
        Assert.Equal(["rotate-2026"], store.Names());
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Create_ExistingName_IsRefusedAndChangesNothing(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        CampaignStore store = Campaigns.Create(db, "c", 5);

        var e = Assert.Throws<FleetStoreException>(() => store.Create(Campaigns.Define("c"), Campaigns.DeviceIds(9)));

        Assert.Equal(FleetStoreError.CampaignExists, e.Error);
        Assert.Equal(5, store.Get("c").DeviceCount);
        Assert.Equal(5, db.Read(sql => sql.Long("SELECT COUNT(*) FROM campaign_devices")));
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Get_UnknownCampaign_IsOneLineUsageError(string kind)
    {
        CampaignStore store = Campaigns.Create(databases.NewDatabase(kind), "c", 1);

        var e = Assert.Throws<FleetStoreException>(() => store.Get("nope"));

        Assert.Equal(FleetStoreError.UnknownCampaign, e.Error);
        Assert.Equal(2, e.ExitCode);
        Assert.Equal(FleetStoreError.UnknownCampaign, Assert.Throws<FleetStoreException>(() => store.Cancel("nope", "x")).Error);
        Assert.Equal(FleetStoreError.UnknownCampaign, Assert.Throws<FleetStoreException>(() => new DeviceWork(store.Database, "nope", "w").Claim(1)).Error);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Cancel_CancelsQueuedDevicesAndStopsClaims_InProgressFinish(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        CampaignStore store = Campaigns.Create(db, "c", 6);
        var w = new DeviceWork(db, "c", "w");
        List<DeviceClaim> running = w.Claim(2).Claims;

        Assert.Equal(4, store.Cancel("c", "operator stop"));

        Assert.Empty(w.Claim(5).Claims);
        Assert.True(w.Finish(running[0].Device, new DeviceOutcome { State = DeviceState.Succeeded }));
        CampaignRecord c = store.Get("c");
        Assert.Equal(CampaignState.Cancelled, c.State);
        Assert.Equal(4, c.Count(DeviceState.Cancelled));
        Assert.Equal(new Dictionary<DeviceState, long>
        {
            [DeviceState.Queued] = 0, [DeviceState.InProgress] = 1, [DeviceState.Succeeded] = 1, [DeviceState.Failed] = 0,
            [DeviceState.TimedOut] = 0, [DeviceState.Rejected] = 0, [DeviceState.Cancelled] = 4,
        }, store.CountByState("c"));
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Abort_AfterMinimumDevices_WhenFailuresExceedThePercentage_ThenResume(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        CampaignStore store = Campaigns.Create(db, "c", 20, new RolloutRules { MaxInFlight = 20, AbortPercent = 25, AbortMinDevices = 4 });
        var w = new DeviceWork(db, "c", "w");
        List<DeviceClaim> claims = w.Claim(8).Claims;

        // 2 failures of 3 finished: above 25 %, but the minimum (4) is not reached yet.
        w.Finish(claims[0].Device, new DeviceOutcome { State = DeviceState.Failed, Detail = "6A80" });
        w.Finish(claims[1].Device, new DeviceOutcome { State = DeviceState.TimedOut });
        w.Finish(claims[2].Device, new DeviceOutcome { State = DeviceState.Succeeded });
        Assert.Equal(CampaignState.Active, store.Get("c").State);

        // The fourth makes 2 of 4 = 50 % > 25 %: aborted; no new claims, devices in flight still finish.
        w.Finish(claims[3].Device, new DeviceOutcome { State = DeviceState.Succeeded });
        CampaignRecord aborted = store.Get("c");
        Assert.Equal(CampaignState.Aborted, aborted.State);
        Assert.Contains("2 of 4 devices failed", aborted.StateReason, StringComparison.Ordinal);
        Assert.Empty(w.Claim(5).Claims);
        Assert.True(w.Finish(claims[4].Device, new DeviceOutcome { State = DeviceState.Succeeded }));

        // Resume: the rule counts from here, so old failures do not abort it again.
        store.Resume("c");
        Assert.Equal(CampaignState.Active, store.Get("c").State);
        Assert.Equal(5, w.Claim(5).Claims.Count);
        Assert.Equal(FleetStoreError.IllegalTransition, Assert.Throws<FleetStoreException>(() => store.Resume("c")).Error);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void StateMachine_IllegalMovesAreRefused(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        CampaignStore store = Campaigns.Create(db, "c", 2);
        var w = new DeviceWork(db, "c", "w");
        string device = w.Claim(1).Claims.Single().Device;

        Assert.Equal(FleetStoreError.IllegalTransition, Assert.Throws<FleetStoreException>(() => w.Finish(device, new DeviceOutcome { State = DeviceState.Queued })).Error);
        Assert.Equal(FleetStoreError.IllegalTransition, Assert.Throws<FleetStoreException>(() => w.Finish(device, new DeviceOutcome { State = DeviceState.Cancelled })).Error);
        Assert.True(w.Finish(device, new DeviceOutcome { State = DeviceState.Rejected, Detail = "not authenticated" }));

        // A final state never moves again: not finished twice, not requeued, not cancelled.
        Assert.False(w.Finish(device, new DeviceOutcome { State = DeviceState.Succeeded }));
        Assert.False(w.Requeue(device, TimeSpan.Zero, "x"));
        store.Cancel("c", "stop");
        Assert.Equal(DeviceState.Rejected, store.Devices("c", device).Single().State);
        Assert.Equal(1, store.Get("c").Count(DeviceState.Rejected));
        Assert.Equal(1, store.Get("c").Count(DeviceState.Cancelled));
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Finish_KeepsStepResultsAndFactsWithTheDevice(string kind)
    {
        FleetDatabase db = databases.NewDatabase(kind);
        CampaignStore store = Campaigns.Create(db, "c", 1);
        var w = new DeviceWork(db, "c", "w");
        string device = w.Claim(1).Claims.Single().Device;

        w.Finish(device, new DeviceOutcome { State = DeviceState.Succeeded, StepsTotal = 12, StepsPassed = 12, LastSw = 0x9000, StepsJson = "[{\"i\":0}]" },
            ("acme", "A0000001515350410A", new DeviceFacts(9, 0x70, new byte[10])));

        DeviceRecord d = store.Devices("c").Single();
        Assert.Equal((12, 12, 0x9000, "[{\"i\":0}]"), (d.StepsTotal!.Value, d.StepsPassed!.Value, d.LastSw!.Value, d.StepsJson));
        Assert.Equal(9, w.Facts("acme", device, "A0000001515350410A")!.SequenceCounter);
        Assert.Equal(CampaignState.Finished, store.Get("c").State);
        Assert.Equal(FleetStoreError.IllegalTransition, Assert.Throws<FleetStoreException>(() => store.Cancel("c", "late")).Error);
    }
}
