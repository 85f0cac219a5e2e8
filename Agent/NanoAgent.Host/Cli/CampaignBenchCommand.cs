using System.CommandLine;
using System.Globalization;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Common;
using NanoAgent.Host.Fleet;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent backend campaign bench</c>: a campaign over a simulated fleet, measured per database and worker count.</summary>
public static class CampaignBenchCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var devices = new Option<int>("--devices") { Description = "simulated devices", DefaultValueFactory = _ => 1000 };
        var steps = new Option<int>("--steps") { Description = "steps of the batch script", DefaultValueFactory = _ => 10 };
        var workers = new Option<string>("--workers") { Description = "worker counts to measure, comma-separated", DefaultValueFactory = _ => "1,2,4" };
        var inFlight = new Option<int>("--max-in-flight") { Description = "the campaign's in-flight limit, shared by the workers", DefaultValueFactory = _ => 64 };
        var postgres = new Option<string>("--postgres") { Description = "auto (a throw-away cluster of the installed postgresql), a postgres:// URL, or none", DefaultValueFactory = _ => "auto" };
        var json = new Option<bool>("--json") { Description = "print the figures in the JSON envelope (docs/json.md)" };
        var command = new Command("bench", "Measure campaigns over a simulated fleet: devices per second with SQLite and PostgreSQL at 1, 2 and 4 workers, worker and simulator memory.")
        {
            devices, steps, workers, inFlight, postgres, json,
        };
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            int[] counts;
            try
            {
                counts = parse.GetValue(workers)!.Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
            }
            catch (FormatException)
            {
                parse.InvocationConfiguration.Error.WriteLine("error: --workers is a comma-separated list of numbers, e.g. 1,2,4");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(devices) is < 1 or > 100_000 || parse.GetValue(steps) is < 2 or > 1000 || counts.Any(c => c is < 1 or > 32))
            {
                parse.InvocationConfiguration.Error.WriteLine("error: --devices is 1 to 100000, --steps 2 to 1000, each worker count 1 to 32");
                return ExitCodes.Usage;
            }

            string pg = parse.GetValue(postgres)!;
            if (pg is not ("auto" or "none") && !FleetDatabase.IsPostgres(pg))
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: --postgres is auto, none, or a PostgreSQL database (postgres://user@host:port/db or a connection string), not '{pg}'");
                return ExitCodes.Usage;
            }

            var bench = new CampaignBench
            {
                Devices = parse.GetValue(devices), Steps = parse.GetValue(steps), WorkerCounts = counts, MaxInFlight = Math.Max(1, parse.GetValue(inFlight)),
                Postgres = pg,
            };
            using var stop = new ShutdownSignal();
            bool quiet = parse.GetValue(json);
            try
            {
                bench.Run(quiet ? TextWriter.Null : output, stop.Token);
            }
            catch (FleetStoreException e)
            {
                parse.InvocationConfiguration.Error.WriteLine(e.ExitCode == ExitCodes.Usage ? "error: " + e.Message : e.Message);
                return e.ExitCode;
            }

            int exit = bench.Runs.All(r => r.Succeeded == r.Devices) ? ExitCodes.Ok : ExitCodes.Failed;
            if (quiet)
            {
                JsonReport.Write(output, "backend campaign bench", exit, new
                {
                    bench.Devices, bench.Steps, bench.MaxInFlight, bench.SimulatorRssMb, bench.SimulatorRssPerDeviceKb, bench.SimulatorHeapPerDeviceKb,
                    bench.SimulatorPeakRssMb, runs = bench.Runs.Select(r => new { r.Database, r.Workers, r.Devices, r.Succeeded, r.Seconds, r.WallSeconds, r.DevicesPerSecond, r.WorkerCpuSeconds, r.WorkerPeakRssMb, r.DatabaseBytes }),
                    bench.Notes,
                });
                return exit;
            }

            output.WriteLine();
            output.WriteLine($"campaign bench: {bench.Devices} devices, {bench.Steps}-step batch script, at most {bench.MaxInFlight} in flight");
            output.WriteLine($"{"database",-11} {"workers",7} {"devices/s",10} {"seconds",8} {"ok",6} {"worker CPU s",12} {"worker peak MB",14} {"db KB",8}");
            foreach (CampaignBenchRun r in bench.Runs)
            {
                output.WriteLine($"{r.Database,-11} {r.Workers,7} {r.DevicesPerSecond,10:0.0} {r.Seconds,8:0.0} {r.Succeeded,6} {r.WorkerCpuSeconds,12:0.0} {r.WorkerPeakRssMb,14:0} {r.DatabaseBytes / 1024.0,8:0}");
            }

            output.WriteLine($"simulator: {bench.SimulatorRssMb:0} MB resident after start-up ({bench.SimulatorRssPerDeviceKb:0.0} KB a device, {bench.SimulatorHeapPerDeviceKb:0.0} KB managed heap a device), peak {bench.SimulatorPeakRssMb:0} MB");
            foreach (string note in bench.Notes)
            {
                output.WriteLine("note: " + note);
            }

            return exit;
        });
        return command;
    }
}
