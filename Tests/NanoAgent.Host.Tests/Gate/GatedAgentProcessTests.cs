using NanoAgent.Host.Cli;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Tests.Agent;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>
/// issue #15: <c>nanoagent agent --gates FILE</c>, <c>backend watch</c> and <c>backend actuate</c> as three separate processes
/// over a real mosquitto broker, against a virtual SE whose tenant "acme" has its gate installed and keyed (by
/// <see cref="GatedAgentFixture"/>, which is then stopped). The sensor is a command (<c>echo 21.5</c>), the actuator a command
/// that appends the verified command to a file.
/// </summary>
public sealed class GatedAgentProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Agent_WatchAndActuate_AsSeparateProcessesOverMosquitto()
    {
        using var dir = new TempDir();
        new GatedAgentFixture(dir).Dispose(); // leaves virtual-se.json with acme's SSD and keyed gate
        using var broker = new TestBroker("mosquitto");
        string url = $"mqtt://127.0.0.1:{broker.Port}";
        string gate = Hex.Of(GatedAgentFixture.GateAid);
        string relayLog = dir.File("relay.log");
        File.WriteAllText(dir.File("tenants.txt"), $"acme {Hex.Of(GatedAgentFixture.Ssd)} 1\n");
        File.WriteAllText(dir.File("gates.conf"), $"""
            gate.acme = {gate}
            sensor.temp = acme
            sensor.temp.source = command echo 21.5
            sensor.temp.unit = C
            sensor.temp.interval_s = 1
            actuator.relay = acme
            actuator.relay.command = echo >> '{relayLog}'
            """);
        GateKeyFile.Write(dir.File("acme-gate.key"), GatedAgentFixture.MacKey);
        string[] backend = ["--broker", url, "--device", GatedAgentFixture.Device, "--tenant", "acme", "--gate", gate, "--mac-key-file", dir.File("acme-gate.key")];

        using var agent = CliProcess.Start("agent", "--tenants", dir.File("tenants.txt"), "--state", dir.File("virtual-se.json"), "--no-platform-scp",
            "--broker", url, "--device", GatedAgentFixture.Device, "--gates", dir.File("gates.conf"), "--duration", "120");
        agent.WaitForOutput("actuator relay (command) commanded by acme", Timeout);

        using (var watch = CliProcess.Start(["backend", "watch", .. backend, "--count", "2", "--duration", "50", "--state", dir.File("watch.counter")]))
        {
            Assert.True(watch.WaitForExit(Timeout) == ExitCodes.Ok, watch.Output + watch.Error + agent.Output);
            Assert.Matches(@"VERIFIED #\d+ temp 21\.500 C", watch.Output);
            Assert.DoesNotContain("REJECTED", watch.Output);
        }

        using (var actuate = CliProcess.Start(["backend", "actuate", .. backend, "--actuator", "relay", "--command", "01", "--counter-file", dir.File("cmd.counter"), "--timeout", "30"]))
        {
            Assert.True(actuate.WaitForExit(Timeout) == ExitCodes.Ok, actuate.Output + actuate.Error + agent.Output);
            Assert.Contains("APPLIED #1", actuate.Output);
        }

        Assert.Equal("01\n", File.ReadAllText(relayLog));

        // The same bytes again (a re-send, docs/reliability.md) are answered again and never reach the actuator a second time.
        File.WriteAllText(dir.File("cmd.counter"), "0");
        using (var resend = CliProcess.Start(["backend", "actuate", .. backend, "--actuator", "relay", "--command", "01", "--counter-file", dir.File("cmd.counter"), "--timeout", "30"]))
        {
            Assert.True(resend.WaitForExit(Timeout) == ExitCodes.Ok, resend.Output + resend.Error);
            Assert.Contains("APPLIED #1", resend.Output);
        }

        // Another command under the used counter (a replay) is refused by the SE and never reaches the actuator.
        File.WriteAllText(dir.File("cmd.counter"), "0");
        using (var replay = CliProcess.Start(["backend", "actuate", .. backend, "--actuator", "relay", "--command", "00", "--counter-file", dir.File("cmd.counter"), "--timeout", "30"]))
        {
            Assert.True(replay.WaitForExit(Timeout) == ExitCodes.Failed, replay.Output + replay.Error);
            Assert.Contains("REFUSED #1", replay.Output);
        }

        Assert.Equal("01\n", File.ReadAllText(relayLog));
    }
}
