using System.Diagnostics;
using System.Globalization;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// <c>nanoagent backend campaign bench</c>: one simulated fleet (a <c>fleet simulate</c> process), an embedded broker in
/// this process, and for each database and worker count a fresh database, a campaign of a batch script over every device,
/// and that many <c>campaign run</c> processes. It measures devices per second, the workers' CPU and peak memory, the
/// simulator's memory and the database's size.
/// </summary>
public sealed class CampaignBench
{
    /// <summary>Gets the number of devices.</summary>
    public int Devices { get; init; } = 1000;

    /// <summary>Gets the script's steps.</summary>
    public int Steps { get; init; } = 10;

    /// <summary>Gets the worker counts to measure.</summary>
    public IReadOnlyList<int> WorkerCounts { get; init; } = [1, 2, 4];

    /// <summary>Gets the campaign's in-flight limit (shared by the workers).</summary>
    public int MaxInFlight { get; init; } = 64;

    /// <summary>Gets the PostgreSQL to use: <c>auto</c> (a throw-away cluster, fsync on), a <c>--db</c> URL, or <c>none</c>.</summary>
    public string Postgres { get; init; } = "auto";

    /// <summary>Gets the longest a campaign may take.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Gets the simulator's resident memory after start-up, in MB.</summary>
    public double SimulatorRssMb { get; private set; }

    /// <summary>Gets the simulator's resident memory per device, in kB.</summary>
    public double SimulatorRssPerDeviceKb { get; private set; }

    /// <summary>Gets the simulator's managed heap per device, in kB.</summary>
    public double SimulatorHeapPerDeviceKb { get; private set; }

    /// <summary>Gets the simulator's peak resident memory over the whole bench, in MB.</summary>
    public double SimulatorPeakRssMb { get; private set; }

    /// <summary>Gets the measured runs.</summary>
    public List<CampaignBenchRun> Runs { get; } = [];

    /// <summary>Gets notes (e.g. PostgreSQL missing).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Runs the bench.</summary>
    /// <param name="log">Progress lines.</param>
    /// <param name="cancel">Stops early.</param>
    /// <exception cref="FleetStoreException">The PostgreSQL database given cannot be reached or used (checked before anything starts).</exception>
    public void Run(TextWriter log, CancellationToken cancel)
    {
        if (FleetDatabase.IsPostgres(Postgres))
        {
            FleetDatabase.Open(Postgres, create: true);
        }

        string dir = Directory.CreateTempSubdirectory("nanoagent-bench-").FullName;
        try
        {
            string keys = Path.Combine(dir, "tenant.keys"), requestKey = Path.Combine(dir, "request.keys"), script = Path.Combine(dir, "bench.apdu");
            WriteKeyFile(keys, 0x01);
            WriteKeyFile(requestKey, 0x60);
            File.WriteAllText(script, FleetScripts.StoreData(Steps));
            var ids = Enumerable.Range(1, Devices).Select(i => FleetSimulator.DeviceId("bench-", i, Devices)).ToList();
            using var broker = new EmbeddedBroker(0);
            broker.Start();
            string brokerUrl = $"mqtt://127.0.0.1:{broker.Port}";
            using ChildProcess simulator = ChildProcess.Start("fleet", "simulate", "--devices", Devices.ToString(CultureInfo.InvariantCulture), "--prefix", "bench-",
                "--tenant", "bench", "--keys", keys, "--request-key", requestKey, "--broker", brokerUrl);
            if (!simulator.WaitForOutput("fleet-stats:", TimeSpan.FromMinutes(5)))
            {
                throw new InvalidOperationException("the simulator did not start:\n" + simulator.Output);
            }

            ReadSimulatorStats(simulator.Output);
            log.WriteLine($"bench: {Devices} simulated devices, {SimulatorRssMb:0} MB resident ({SimulatorRssPerDeviceKb:0.0} KB a device); broker {brokerUrl}");
            TemporaryPostgres? cluster = null;
            try
            {
                foreach (string kind in new[] { "sqlite", "postgresql" })
                {
                    if (kind == "postgresql" && Postgres == "none")
                    {
                        continue;
                    }

                    if (kind == "postgresql" && Postgres == "auto")
                    {
                        if (TemporaryPostgres.FindBinaries() is null)
                        {
                            Notes.Add("PostgreSQL is not installed: no PostgreSQL figures (apt-get install postgresql, or --postgres URL)");
                            continue;
                        }

                        cluster = TemporaryPostgres.Start(durable: true);
                    }

                    foreach (int workers in WorkerCounts)
                    {
                        cancel.ThrowIfCancellationRequested();
                        string name = $"bench-{kind}-{workers}w";
                        string db = kind == "sqlite" ? Path.Combine(dir, name + ".db") : cluster?.CreateDatabase(name.Replace('-', '_')) ?? Postgres;
                        CampaignBenchRun run = RunOne(kind, workers, name, db, ids, script, keys, requestKey, brokerUrl, simulator);
                        Runs.Add(run);
                        log.WriteLine($"bench: {kind,-10} {workers} worker(s): {run.Succeeded}/{run.Devices} succeeded in {run.Seconds:0.0} s = {run.DevicesPerSecond:0.0} devices/s; " +
                            $"workers {run.WorkerCpuSeconds:0.0} s CPU, peak {run.WorkerPeakRssMb:0} MB each; database {run.DatabaseBytes / 1024.0:0} KB");
                    }
                }
            }
            finally
            {
                cluster?.Dispose();
            }

            simulator.Sample();
            SimulatorPeakRssMb = simulator.PeakRssKb / 1024.0;
            simulator.Terminate(TimeSpan.FromSeconds(30));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private CampaignBenchRun RunOne(string kind, int workers, string name, string db, List<string> ids, string script, string keys, string requestKey, string broker, ChildProcess simulator)
    {
        var store = new CampaignStore(FleetDatabase.Open(db, create: true));
        store.Create(new CampaignDefinition
        {
            Name = name, Tenant = "bench", Sd = Convert.FromHexString(FleetScripts.DefaultSd), KeyVersion = 0x01, ScriptName = "bench.apdu",
            ScriptText = File.ReadAllText(script),
            Rules = new RolloutRules { MaxInFlight = MaxInFlight, AbortPercent = 100, DeviceTimeout = TimeSpan.FromSeconds(120), Lease = TimeSpan.FromSeconds(30) },
        }, ids);
        var clock = Stopwatch.StartNew();
        var processes = Enumerable.Range(0, workers).Select(i => ChildProcess.Start("backend", "campaign", "run", name, "--db", db, "--keys", keys,
            "--request-key", requestKey, "--broker", broker, "--parallel", Math.Max(1, MaxInFlight / workers).ToString(CultureInfo.InvariantCulture),
            "--progress-every", "30")).ToList();
        try
        {
            foreach (ChildProcess p in processes)
            {
                if (!p.WaitForExit(RunTimeout))
                {
                    throw new InvalidOperationException($"a worker did not finish within {RunTimeout.TotalMinutes:0} min:\n{p.Output}");
                }

                simulator.Sample();
            }

            double wall = clock.Elapsed.TotalSeconds;
            var stats = processes.Select(p => ParseWorkerStats(p.Output)).ToList();
            (long first, long last) = store.Database.Read(sql => (
                sql.Long("SELECT MIN(first_started_ms) FROM campaign_devices WHERE campaign = @c", ("@c", name)),
                sql.Long("SELECT MAX(finished_ms) FROM campaign_devices WHERE campaign = @c", ("@c", name))));
            long succeeded = store.CountByState(name)[DeviceState.Succeeded];
            long bytes = kind == "sqlite"
                ? new FileInfo(db).Length + (File.Exists(db + "-wal") ? new FileInfo(db + "-wal").Length : 0)
                : store.Database.Read(sql => sql.Long("SELECT pg_database_size(current_database())"));
            return new CampaignBenchRun(kind, workers, ids.Count, succeeded, (last - first) / 1000.0, wall,
                stats.Sum(s => s.CpuMilliseconds) / 1000.0, stats.Max(s => Math.Max(s.PeakRssKilobytes, 0)) / 1024.0, bytes);
        }
        finally
        {
            foreach (ChildProcess p in processes)
            {
                p.Dispose();
            }
        }
    }

    private static WorkerStats ParseWorkerStats(string output)
    {
        string? line = output.Split('\n').LastOrDefault(l => l.StartsWith("worker-stats:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("a worker ended without its stats line:\n" + output);
        Dictionary<string, long> f = line["worker-stats:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => long.Parse(kv[1], CultureInfo.InvariantCulture));
        return new WorkerStats(f["cpu_ms"], f["peak_rss_kb"], (int)f["devices"]);
    }

    private void ReadSimulatorStats(string output)
    {
        string line = output.Split('\n').First(l => l.StartsWith("fleet-stats:", StringComparison.Ordinal));
        Dictionary<string, double> f = line["fleet-stats:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
        SimulatorRssMb = f["rss_kb"] / 1024.0;
        SimulatorRssPerDeviceKb = f["rss_per_device_kb"];
        SimulatorHeapPerDeviceKb = f["heap_per_device_kb"];
    }

    private static void WriteKeyFile(string path, byte kvn)
    {
        string Key() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(path, $"{{\"kvn\": \"{kvn:X2}\", \"enc\": \"{Key()}\", \"mac\": \"{Key()}\", \"dek\": \"{Key()}\"}}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
