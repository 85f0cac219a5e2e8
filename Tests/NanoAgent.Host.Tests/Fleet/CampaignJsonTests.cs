using System.Text.Json;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Common;
using NanoAgent.Host.Fleet;
using NanoAgent.Host.Tests.Cli;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary><c>--json</c> on every <c>backend campaign</c> command, each command's real output held to its example in
/// docs/json.md (<see cref="JsonDoc"/>); <c>bench</c>'s is in <see cref="CampaignBenchTests"/>.</summary>
[Collection(FleetCollection.Name)]
public class CampaignJsonTests(FleetDatabases databases)
{
    private static readonly string[] States = ["queued", "inProgress", "succeeded", "failed", "timedOut", "rejected", "cancelled"];

    [Theory]
    [MemberData(nameof(FleetDatabases.Kinds), MemberType = typeof(FleetDatabases))]
    public void CreateCancelStatusReport_Json_MatchDocs(string kind)
    {
        using var rig = new FleetRig(0);
        string db = databases.NewSpec(kind);
        string devices = rig.WriteDeviceList(["m-1", "m-2", "m-3"]);

        CliRun create = CliRun.Of("backend", "campaign", "create", "c1", "--db", db, "--tenant", "acme", "--script", rig.ScriptPath, "--devices", devices,
            "--keys", rig.KeysPath, "--max-per-minute", "30", "--json");
        CliRun cancel = CliRun.Of("backend", "campaign", "cancel", "c1", "--db", db, "--reason", "wrong script", "--json");
        CliRun status = CliRun.Of("backend", "campaign", "status", "c1", "--db", db, "--json");
        CliRun all = CliRun.Of("backend", "campaign", "report", "c1", "--db", db, "--json");
        CliRun one = CliRun.Of("backend", "campaign", "report", "c1", "--db", db, "--device", "m-2", "--json");

        JsonElement created = JsonDoc.AssertMatches("backend campaign create", create.Output, ExitCodes.Ok);
        Assert.Equal(("c1", "acme", "A0000001515350410A", "01", 3, 10), (created.GetProperty("name").GetString(), created.GetProperty("tenant").GetString(),
            created.GetProperty("sd").GetString(), created.GetProperty("keyVersion").GetString(), created.GetProperty("devices").GetInt32(), created.GetProperty("steps").GetInt32()));
        Assert.Equal(30, created.GetProperty("rules").GetProperty("maxPerMinute").GetInt32());
        JsonElement cancelled = JsonDoc.AssertMatches("backend campaign cancel", cancel.Output, ExitCodes.Ok);
        Assert.Equal(("cancelled", "wrong script", 3, 0), (cancelled.GetProperty("state").GetString(), cancelled.GetProperty("reason").GetString(),
            cancelled.GetProperty("cancelled").GetInt32(), cancelled.GetProperty("inProgress").GetInt32()));
        JsonElement counts = JsonDoc.AssertMatches("backend campaign status", status.Output, ExitCodes.Ok).GetProperty("counts");
        Assert.Equal(States, counts.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, counts.GetProperty("cancelled").GetInt32());
        JsonElement rows = JsonDoc.AssertMatches("backend campaign report", all.Output, ExitCodes.Ok).GetProperty("devices");
        Assert.Equal(["m-1", "m-2", "m-3"], rows.EnumerateArray().Select(d => d.GetProperty("device").GetString()));
        Assert.All(rows.EnumerateArray(), d => Assert.Equal(JsonValueKind.Null, d.GetProperty("events").ValueKind));
        JsonElement m2 = JsonDoc.AssertMatches("backend campaign report", one.Output, ExitCodes.Ok).GetProperty("devices").EnumerateArray().Single();
        Assert.Equal(("queued", "cancelled"), (m2.GetProperty("events")[0].GetProperty("from").GetString(), m2.GetProperty("events")[0].GetProperty("to").GetString()));
    }

    [Fact]
    public void Run_Json_MatchesDocs_FinishedAbortedAndAbortedWithoutResume()
    {
        using var rig = new FleetRig(3);
        string db = databases.NewSpec("sqlite");
        CampaignStore store = rig.Create(db, "rotate", rig.Ids);
        string failing = "sd " + FleetScripts.DefaultSd + "\n80CADF3F00 expect 9000\n"; // DF3F was never stored: 6A88
        rig.Create(db, "bad", rig.Ids, new RolloutRules { MaxInFlight = 1, AbortPercent = 20, AbortMinDevices = 2 }, script: failing);
        string[] Run(string name) => ["backend", "campaign", "run", name, "--db", db, "--keys", rig.KeysPath, "--request-key", rig.RequestKeyPath, "--broker", rig.BrokerUrl, "--json"];

        JsonElement done = JsonDoc.AssertMatches("backend campaign run", CliRun.Of(Run("rotate")).Output, ExitCodes.Ok);
        JsonElement report = JsonDoc.AssertMatches("backend campaign report", CliRun.Of("backend", "campaign", "report", "rotate", "--db", db, "--device", "sim-0002", "--json").Output, ExitCodes.Ok);
        JsonElement aborted = JsonDoc.AssertMatches("backend campaign run", CliRun.Of(Run("bad")).Output, ExitCodes.Failed);
        JsonElement refused = JsonDoc.AssertMatches("backend campaign run", CliRun.Of(Run("bad")).Output, ExitCodes.Failed);

        Assert.Equal(("finished", false, false, 3), (done.GetProperty("state").GetString(), done.GetProperty("aborted").GetBoolean(), done.GetProperty("stopped").GetBoolean(), done.GetProperty("handled").GetInt32()));
        Assert.Equal(States, done.GetProperty("counts").EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, done.GetProperty("counts").GetProperty("succeeded").GetInt32());
        JsonElement device = report.GetProperty("devices").EnumerateArray().Single();
        Assert.Equal(12, device.GetProperty("steps").GetArrayLength());
        Assert.All(device.GetProperty("steps").EnumerateArray(), s => Assert.True(s.GetProperty("passed").GetBoolean()));
        Assert.Equal(["inProgress", "succeeded"], device.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("to").GetString()));
        Assert.Equal(("aborted", true), (aborted.GetProperty("state").GetString(), aborted.GetProperty("aborted").GetBoolean()));
        long failed = aborted.GetProperty("counts").GetProperty("failed").GetInt64(), queued = aborted.GetProperty("counts").GetProperty("queued").GetInt64();
        Assert.True(failed >= 2 && failed + queued == 3, aborted.GetRawText());
        Assert.Equal((true, 0, queued), (refused.GetProperty("aborted").GetBoolean(), refused.GetProperty("handled").GetInt32(), refused.GetProperty("counts").GetProperty("queued").GetInt64()));
        Assert.Equal(3, store.CountByState("rotate")[DeviceState.Succeeded]);
    }
}
