using System.Text.Json;
using NanoAgent.Host.Fleet;
using NanoAgent.Host.Tests.Backend;

namespace NanoAgent.Host.Tests.Fleet;

[Collection(FleetCollection.Name)]
public class FleetSimulateCommandTests
{
    [Fact]
    public void Simulate_DevicesOnlineWithDistinctCardIdentities_EndsOnSigterm()
    {
        using var dir = new TempDir();
        AgentRig.WriteKeys(dir.File("k.json"), 0x01, 0x10);
        AgentRig.WriteKeys(dir.File("r.json"), 0x60, 0x50);
        string summary = dir.File("summary.json");
        using ChildProcess sim = ChildProcess.Start("fleet", "simulate", "--devices", "25", "--tenant", "acme", "--keys", dir.File("k.json"),
            "--request-key", dir.File("r.json"), "--embedded-broker", "0", "--summary", summary);

        Assert.True(sim.WaitForOutput("fleet-stats:", TimeSpan.FromSeconds(60)), sim.Output);
        Assert.Contains("25 simulated devices online", sim.Output, StringComparison.Ordinal);
        Assert.Matches(@"memory for 25 devices: [\d.]+ MB resident \([\d.]+ KB a device\)", sim.Output);
        sim.Terminate(TimeSpan.FromSeconds(30));

        Assert.Equal(0, sim.ExitCode);
        var devices = JsonSerializer.Deserialize<List<SimulatedDeviceSummary>>(File.ReadAllText(summary), Common.JsonReport.Options)!;
        Assert.Equal(25, devices.Count);
        Assert.Equal("sim-0001", devices[0].Device);
        Assert.Equal(25, devices.Select(d => d.Diversification).Distinct().Count()); // key diversification can tell them apart
        Assert.All(devices, d => Assert.Equal(0, d.StoreData));
    }

    [Fact]
    public void Simulate_SameIdSameCard_DifferentIdOtherCard()
    {
        Assert.Equal(FleetSimulator.SerialOf("meter-0042"), FleetSimulator.SerialOf("meter-0042"));
        Assert.NotEqual(FleetSimulator.SerialOf("meter-0042"), FleetSimulator.SerialOf("meter-0043"));
        Assert.Equal("sim-0007", FleetSimulator.DeviceId("sim-", 7, 1000));
        Assert.Equal("sim-00007", FleetSimulator.DeviceId("sim-", 7, 10000));
        Assert.Equal(32, FleetSimulator.DevicePassword([1, 2, 3], "sim-0001").Length);
        Assert.NotEqual(FleetSimulator.DevicePassword([1, 2, 3], "sim-0001"), FleetSimulator.DevicePassword([1, 2, 3], "sim-0002"));
    }

    [Theory]
    [InlineData("--devices", "0", "error: --devices is 1 to 100000")]
    [InlineData("--prefix", "a/b-", "error: --prefix 'a/b-' makes device ids that are not identifiers")]
    [InlineData("--se-latency-ms", "-1", "error: --se-latency-ms is 0 to 10000")]
    public void Simulate_BadInput_OneLineExit2(string option, string value, string expected)
    {
        using var dir = new TempDir();
        AgentRig.WriteKeys(dir.File("k.json"), 0x01, 0x10);
        AgentRig.WriteKeys(dir.File("r.json"), 0x60, 0x50);
        string[] devices = option == "--devices" ? [] : ["--devices", "3"];

        CliRun run = CliRun.Of(["fleet", "simulate", .. devices, option, value, "--tenant", "acme", "--keys", dir.File("k.json"), "--request-key", dir.File("r.json"), "--embedded-broker", "0"]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_BrokerDown_Exit3()
    {
        using var dir = new TempDir();
        AgentRig.WriteKeys(dir.File("k.json"), 0x01, 0x10);
        AgentRig.WriteKeys(dir.File("r.json"), 0x60, 0x50);

        CliRun run = CliRun.Of("fleet", "simulate", "--devices", "2", "--tenant", "acme", "--keys", dir.File("k.json"), "--request-key", dir.File("r.json"),
            "--broker", $"mqtt://127.0.0.1:{Mqtt.EmbeddedBroker.FreeLoopbackPort()}");

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("cannot reach the broker", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_EmbeddedBrokerPortInUse_Exit3()
    {
        using var dir = new TempDir();
        AgentRig.WriteKeys(dir.File("k.json"), 0x01, 0x10);
        AgentRig.WriteKeys(dir.File("r.json"), 0x60, 0x50);
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        CliRun run = CliRun.Of("fleet", "simulate", "--devices", "2", "--tenant", "acme", "--keys", dir.File("k.json"), "--request-key", dir.File("r.json"),
            "--embedded-broker", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seconds", "1");

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith($"cannot start the broker on 127.0.0.1:{port}", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_BrokerRefusesTheDevicesLogin_Exit1()
    {
        using var dir = new TempDir();
        AgentRig.WriteKeys(dir.File("k.json"), 0x01, 0x10);
        AgentRig.WriteKeys(dir.File("r.json"), 0x60, 0x50);
        using var broker = new Mqtt.EmbeddedBroker(0, "fleet", "secret");
        broker.Start();

        CliRun run = CliRun.Of("fleet", "simulate", "--devices", "2", "--tenant", "acme", "--keys", dir.File("k.json"), "--request-key", dir.File("r.json"),
            "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--seconds", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("the broker refused a device's login", run.Error, StringComparison.Ordinal);
    }
}
