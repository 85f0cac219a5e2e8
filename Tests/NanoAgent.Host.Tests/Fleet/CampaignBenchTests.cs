using System.Text.Json;
using NanoAgent.Host.Tests.Cli;

namespace NanoAgent.Host.Tests.Fleet;

[Collection(FleetCollection.Name)]
public class CampaignBenchTests
{
    [Fact]
    public void Bench_Tiny_ReportsEveryDatabaseAndWorkerCount()
    {
        // Not a timed test: the bench runs small to show it works; the figures are in docs/performance.md.
        CliRun run = CliRun.Of("backend", "campaign", "bench", "--devices", "20", "--workers", "1,2", "--json");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        JsonElement data = JsonDoc.AssertMatches("backend campaign bench", run.Output, 0);
        var runs = data.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["sqlite/1", "sqlite/2", "postgresql/1", "postgresql/2"], runs.Select(r => $"{r.GetProperty("database").GetString()}/{r.GetProperty("workers").GetInt32()}"));
        Assert.All(runs, r =>
        {
            Assert.Equal(20, r.GetProperty("succeeded").GetInt32());
            Assert.True(r.GetProperty("devicesPerSecond").GetDouble() > 0);
            Assert.True(r.GetProperty("workerPeakRssMb").GetDouble() > 10);
            Assert.True(r.GetProperty("databaseBytes").GetInt64() > 0);
        });
        Assert.True(data.GetProperty("simulatorRssMb").GetDouble() > 10);
    }
}
