using System.Security.Cryptography;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Tests.Backend;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary>Bad input to <c>backend campaign</c>: one line, exit 2, nothing changed.</summary>
[Collection(FleetCollection.Name)]
public class CampaignCommandTests(FleetDatabases databases)
{
    [Theory]
    [InlineData("sim-0001\nsim-0002\nsim-0001\n", "line 3: device 'sim-0001' is listed twice (first on line 1)")]
    [InlineData("sim-0001\nsim/0002\n", "line 2: 'sim/0002' is not a device id")]
    [InlineData("# nobody\n", "no device listed")]
    public void Create_BadDeviceList_OneLineExit2AndNoDatabase(string list, string expected)
    {
        using var dir = new TempDir();
        string devices = dir.File("devices.txt"), db = dir.File("fleet.db");
        File.WriteAllText(devices, list);
        File.WriteAllText(dir.File("s.apdu"), "sd A0000001515350410A\n80CA006600\n");

        CliRun run = CliRun.Of("backend", "campaign", "create", "c1", "--db", db, "--tenant", "acme", "--script", dir.File("s.apdu"), "--devices", devices, "--kvn", "01");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {devices}: {expected}", run.Error.TrimEnd().Split('\n').Single(), StringComparison.Ordinal);
        Assert.False(File.Exists(db));
    }

    [Theory]
    [MemberData(nameof(FleetDatabases.Kinds), MemberType = typeof(FleetDatabases))]
    public void UnknownCampaign_EveryCommand_OneLineExit2AndNothingChanged(string kind)
    {
        using var rig = new FleetRig(0);
        string db = databases.NewSpec(kind);
        CampaignStore store = rig.Create(db, "known", ["sim-0001", "sim-0002"]);
        string before = Snapshot(store);

        foreach (string[] args in new[]
        {
            new[] { "status", "nope" }, ["report", "nope"], ["cancel", "nope"],
            ["run", "nope", "--keys", rig.KeysPath, "--request-key", rig.RequestKeyPath, "--broker", rig.BrokerUrl],
        })
        {
            CliRun run = CliRun.Of(["backend", "campaign", .. args, "--db", db]);
            Assert.True(run.ExitCode == 2, string.Join(' ', args) + ": " + run.Output + run.Error);
            Assert.Equal($"error: no campaign 'nope' in {store.Database.Display}", run.Error.TrimEnd());
        }

        Assert.Equal(before, Snapshot(store));
    }

    [Fact]
    public void Create_ExistingName_OneLineExit2AndNothingChanged()
    {
        using var rig = new FleetRig(0);
        string db = databases.NewSpec("sqlite");
        rig.Create(db, "c1", ["sim-0001"]);
        string devices = rig.WriteDeviceList(["sim-0002", "sim-0003"]);

        CliRun run = CliRun.Of("backend", "campaign", "create", "c1", "--db", db, "--tenant", "acme", "--script", rig.ScriptPath, "--devices", devices, "--keys", rig.KeysPath);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: campaign 'c1' exists already in {db}", run.Error.TrimEnd());
        Assert.Equal(1, new CampaignStore(FleetDatabase.Open(db, create: false)).Get("c1").DeviceCount);
    }

    [Fact]
    public void CorruptOrForeignSqliteDatabase_OneLineExit2AndFileUntouched()
    {
        using var dir = new TempDir();
        string corrupt = dir.File("corrupt.db"), foreign = dir.File("foreign.db");
        File.WriteAllBytes(corrupt, RandomNumberGenerator.GetBytes(8192));
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'x')";
            cmd.ExecuteNonQuery();
        }

        foreach ((string db, string why) in new[] { (corrupt, "not a fleet database (not an SQLite database, or corrupt)"), (foreign, "not a fleet database: it holds other tables (customers) and no fleet_schema") })
        {
            byte[] bytes = File.ReadAllBytes(db);
            foreach (string[] args in new[] { new[] { "status", "c1" }, ["report", "c1"], ["cancel", "c1"] })
            {
                CliRun run = CliRun.Of(["backend", "campaign", .. args, "--db", db]);
                Assert.Equal(2, run.ExitCode);
                Assert.Equal($"error: {db}: {why}", run.Error.TrimEnd());
            }

            string list = dir.File("d.txt");
            File.WriteAllText(list, "sim-0001\n");
            File.WriteAllText(dir.File("s.apdu"), "sd A0000001515350410A\n80CA006600\n");
            CliRun create = CliRun.Of("backend", "campaign", "create", "c1", "--db", db, "--tenant", "acme", "--script", dir.File("s.apdu"), "--devices", list, "--kvn", "01");
            Assert.Equal(2, create.ExitCode);
            Assert.Single(create.Error.TrimEnd().Split('\n'));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Assert.Equal(bytes, File.ReadAllBytes(db));
            Assert.False(File.Exists(db + "-wal") && new FileInfo(db + "-wal").Length > 0);
        }
    }

    [Theory]
    [MemberData(nameof(FleetDatabases.Kinds), MemberType = typeof(FleetDatabases))]
    public void NewerSchema_OneLineExit2(string kind)
    {
        using var rig = new FleetRig(0);
        string db = databases.NewSpec(kind);
        CampaignStore store = rig.Create(db, "c1", ["sim-0001"]);
        store.Database.Write(sql => sql.Execute("UPDATE fleet_schema SET version = 7"));

        CliRun run = CliRun.Of("backend", "campaign", "status", "c1", "--db", db);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {store.Database.Display}: fleet schema version 7 is newer than this nanoagent's (1): use a newer nanoagent", run.Error.TrimEnd());
    }

    [Fact]
    public void PostgresUnreachable_OneLineExit3()
    {
        CliRun run = CliRun.Of("backend", "campaign", "status", "c1", "--db", "postgres://fleet@127.0.0.1:1/fleet");

        Assert.Equal(3, run.ExitCode);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("postgresql fleet@127.0.0.1:1/fleet: cannot reach the database", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-in-flight", "0", "--max-in-flight is 1 to 100000")]
    [InlineData("--abort-percent", "150", "--abort-percent is 0 to 100")]
    [InlineData("--kvn", "65", "--kvn is an SCP03 key version in hex")]
    public void Create_BadRule_OneLineExit2(string option, string value, string expected)
    {
        using var rig = new FleetRig(0);
        string db = Path.Combine(rig.Dir, "f.db");
        string devices = rig.WriteDeviceList(["sim-0001"]);
        string[] kvn = option == "--kvn" ? [] : ["--kvn", "01"];

        CliRun run = CliRun.Of(["backend", "campaign", "create", "c1", "--db", db, "--tenant", "acme", "--script", rig.ScriptPath, "--devices", devices, .. kvn, option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: " + expected, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(db));
    }

    [Theory]
    [MemberData(nameof(FleetDatabases.Kinds), MemberType = typeof(FleetDatabases))]
    public void CreateStatusCancelReport_ThroughTheCommandLine(string kind)
    {
        using var rig = new FleetRig(0);
        string db = databases.NewSpec(kind);
        string devices = rig.WriteDeviceList(["m-1", "m-2", "m-3"]);

        CliRun create = CliRun.Of("backend", "campaign", "create", "c1", "--db", db, "--tenant", "acme", "--script", rig.ScriptPath, "--devices", devices,
            "--keys", rig.KeysPath, "--max-in-flight", "2", "--max-per-minute", "30");
        CliRun status = CliRun.Of("backend", "campaign", "status", "c1", "--db", db, "--json");
        CliRun cancel = CliRun.Of("backend", "campaign", "cancel", "c1", "--db", db, "--reason", "wrong script");
        CliRun table = CliRun.Of("backend", "campaign", "status", "c1", "--db", db);
        CliRun report = CliRun.Of("backend", "campaign", "report", "c1", "--db", db, "--device", "m-2", "--json");
        CliRun again = CliRun.Of("backend", "campaign", "cancel", "c1", "--db", db);

        Assert.Equal(0, create.ExitCode);
        Assert.Contains("3 devices queued", create.Output, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(status.Output);
        Assert.Equal("backend campaign status", json.RootElement.GetProperty("command").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("data").GetProperty("counts").GetProperty("queued").GetInt32());
        Assert.Equal(30, json.RootElement.GetProperty("data").GetProperty("rules").GetProperty("maxPerMinute").GetInt32());
        Assert.Contains("3 queued device(s) cancelled", cancel.Output, StringComparison.Ordinal);
        Assert.Contains("campaign c1: cancelled (wrong script)", table.Output, StringComparison.Ordinal);
        Assert.Matches(@"cancelled\s+3", table.Output);
        using var rep = System.Text.Json.JsonDocument.Parse(report.Output);
        var device = rep.RootElement.GetProperty("data").GetProperty("devices")[0];
        Assert.Equal("cancelled", device.GetProperty("state").GetString());
        Assert.Equal("cancelled", device.GetProperty("events")[0].GetProperty("to").GetString());
        Assert.Equal(0, again.ExitCode); // cancelling twice changes nothing more
        Assert.Contains("0 queued device(s) cancelled", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_EveryCampaignCommand()
    {
        foreach (string sub in new[] { "create", "run", "status", "cancel", "report", "bench" })
        {
            CliRun run = CliRun.Of("backend", "campaign", sub, "--help");
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
        }

        Assert.Equal(0, CliRun.Of("fleet", "simulate", "--help").ExitCode);
    }

    private static string Snapshot(CampaignStore store) =>
        string.Join(";", store.Names().Select(n => $"{n}:{CampaignStore.StateName(store.Get(n).State)}:" +
            string.Join(",", store.Devices(n).Select(d => $"{d.Device}={d.State.Name()}/{d.Attempts}"))))
        + store.Database.Read(sql => $"|events={sql.Long("SELECT COUNT(*) FROM device_events")}|counters={sql.Long("SELECT COUNT(*) FROM request_counters")}");
}
