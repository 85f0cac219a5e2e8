using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Common;
using NanoAgent.Host.Fleet;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary>The campaign commands' exit codes by docs/exit-codes.md's rule, for the cases the other fleet tests leave.</summary>
[Collection(FleetCollection.Name)]
public class CampaignExitCodeTests(FleetDatabases databases)
{
    private const string Unreachable = "postgres://fleet@127.0.0.1:1/fleet";

    [Fact]
    public void Run_BrokerDown_Exit3_NothingStarted()
    {
        using var rig = new FleetRig(0);
        string db = databases.NewSpec("sqlite");
        CampaignStore store = rig.Create(db, "c1", ["sim-0001", "sim-0002"]);

        CliRun run = CliRun.Of("backend", "campaign", "run", "c1", "--db", db, "--keys", rig.KeysPath, "--request-key", rig.RequestKeyPath,
            "--broker", $"mqtt://127.0.0.1:{EmbeddedBroker.FreeLoopbackPort()}");

        Assert.Equal(ExitCodes.NoDevice, run.ExitCode);
        Assert.StartsWith("cannot reach the broker", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.All(store.Devices("c1"), d => Assert.Equal((DeviceState.Queued, 0), (d.State, d.Attempts)));
    }

    [Fact]
    public void Cancel_FinishedCampaign_Exit1_NothingChanged()
    {
        using var rig = new FleetRig(0);
        string db = databases.NewSpec("sqlite");
        CampaignStore store = rig.Create(db, "c1", ["sim-0001"]);
        store.Database.Write(sql => sql.Execute("UPDATE campaigns SET state = 'finished'"));

        CliRun run = CliRun.Of("backend", "campaign", "cancel", "c1", "--db", db);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal("campaign 'c1' has finished: nothing to cancel", run.Error.TrimEnd());
        Assert.Equal((CampaignState.Finished, DeviceState.Queued), (store.Get("c1").State, store.Devices("c1").Single().State));
    }

    [Fact]
    public void Report_UnknownDevice_Exit2()
    {
        using var rig = new FleetRig(0);
        string db = databases.NewSpec("sqlite");
        rig.Create(db, "c1", ["sim-0001"]);

        CliRun run = CliRun.Of("backend", "campaign", "report", "c1", "--db", db, "--device", "sim-0009");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("error: campaign c1 has no device 'sim-0009'", run.Error.TrimEnd());
    }

    [Theory]
    [InlineData("create")]
    [InlineData("run")]
    [InlineData("cancel")]
    [InlineData("report")]
    [InlineData("bench")]
    public void PostgresUnreachable_EveryCommand_OneLineExit3(string command)
    {
        using var rig = new FleetRig(0);
        string devices = rig.WriteDeviceList(["sim-0001"]);
        string[] args = command switch
        {
            "create" => ["c1", "--db", Unreachable, "--tenant", "acme", "--script", rig.ScriptPath, "--devices", devices, "--kvn", "01"],
            "run" => ["c1", "--db", Unreachable, "--keys", rig.KeysPath, "--request-key", rig.RequestKeyPath, "--broker", rig.BrokerUrl],
            "bench" => ["--devices", "2", "--workers", "1", "--postgres", Unreachable],
            _ => ["c1", "--db", Unreachable],
        };

        CliRun run = CliRun.Of(["backend", "campaign", command, .. args]);

        Assert.Equal(ExitCodes.NoDevice, run.ExitCode);
        Assert.StartsWith("postgresql fleet@127.0.0.1:1/fleet: cannot reach the database", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--workers", "1,x", "error: --workers is a comma-separated list of numbers")]
    [InlineData("--devices", "0", "error: --devices is 1 to 100000")]
    [InlineData("--postgres", "fleet.db", "error: --postgres is auto, none, or a PostgreSQL database")]
    public void Bench_BadOption_OneLineExit2(string option, string value, string expected)
    {
        CliRun run = CliRun.Of("backend", "campaign", "bench", option, value);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith(expected, Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Sigterm_Exit0_TheRestRunsLaterEachDeviceOnce()
    {
        using var rig = new FleetRig(4, seLatency: TimeSpan.FromMilliseconds(100));
        string db = databases.NewSpec("sqlite");
        CampaignStore store = rig.Create(db, "slow", rig.Ids, new RolloutRules { MaxInFlight = 1, Lease = TimeSpan.FromSeconds(2), DeviceTimeout = TimeSpan.FromSeconds(60) });

        using (ChildProcess worker = ChildProcess.Start("backend", "campaign", "run", "slow", "--db", db, "--keys", rig.KeysPath, "--request-key", rig.RequestKeyPath,
            "--broker", rig.BrokerUrl, "--progress-every", "30"))
        {
            Assert.True(SpinWait.SpinUntil(() => store.CountByState("slow")[DeviceState.Succeeded] >= 1 || worker.HasExited, TimeSpan.FromSeconds(60)), worker.Output);
            worker.Terminate(TimeSpan.FromSeconds(30));

            Assert.True(worker.ExitCode == ExitCodes.Ok, worker.Output);
            Assert.Contains("campaign slow: active", worker.Output, StringComparison.Ordinal);
        }

        Assert.True(store.CountByState("slow")[DeviceState.Succeeded] < 4, "the campaign finished before the signal");
        (int exit, string output, string error) = rig.Run(db, "slow");
        Assert.True(exit == ExitCodes.Ok, output + error);
        Assert.Equal(4, store.CountByState("slow")[DeviceState.Succeeded]);
        Assert.All(rig.Ids, id => Assert.Equal(9, rig.StoreDataCount(id))); // the script ran once on each SE, signal or not
    }
}
