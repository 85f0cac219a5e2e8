using System.Security.Cryptography;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Tests.Agent;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>
/// issue #18, done when: on the virtual SE05x with the IoT applet alone (no custom applet), the owner's bench set-up
/// (<c>se05x bootstrap</c>), the agent (<c>agent --card se05x --gates</c>) and every backend (<c>backend run</c> with the scripts
/// of <c>se05x script</c>, <c>backend watch</c>, <c>actuate</c> and <c>attest</c> with <c>--card se05x</c>) run as separate
/// processes over a real mosquitto broker: onboarding in the owner's applet session, a tenant's gate set-up and take-over in
/// its own, request authentication (another tenant's key refused), isolation (another tenant's object refused by the SE),
/// gated readings, an attested read and a verified actuator command.
/// </summary>
public sealed class Se05xAgentProcessTests
{
    private const string Device = "meter-se05x";
    private const string Label = "F06E616E6F47410A";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void OwnerTenantsAgentAndBackends_AsSeparateProcessesOverMosquitto()
    {
        using var dir = new TempDir();
        foreach (string who in new[] { "owner", "acme", "beta" })
        {
            TenantKeyFile.WriteSingleKey(dir.File($"{who}-auth.json"), 0x01, RandomNumberGenerator.GetBytes(16));
            TenantKeyFile.WriteSingleKey(dir.File($"{who}-request.json"), 0x60, RandomNumberGenerator.GetBytes(16));
        }

        TenantKeyFile.WriteSingleKey(dir.File("acme-own.json"), 0x01, RandomNumberGenerator.GetBytes(16));
        GateKeyFile.Write(dir.File("acme-reading.key"), RandomNumberGenerator.GetBytes(16));
        GateKeyFile.Write(dir.File("acme-command.key"), RandomNumberGenerator.GetBytes(16));
        string[] se = ["--card", "se05x", "--state", dir.File("virtual-se.json")];

        // The bench: the owner's objects over the local link, then the scripts the owner and acme will send.
        Run(["se05x", "bootstrap", .. se, "--owner", "7A000000", "--keys", dir.File("owner-auth.json"), "--request-key", dir.File("owner-request.json")]);
        Run(["se05x", "script", "onboard", "--tenant-block", "7A0A0000", "--keys", dir.File("acme-auth.json"), "--request-key", dir.File("acme-request.json"), "--out", dir.File("onboard-acme.apdu")]);
        Run(["se05x", "script", "onboard", "--tenant-block", "7A0B0000", "--keys", dir.File("beta-auth.json"), "--request-key", dir.File("beta-request.json"), "--out", dir.File("onboard-beta.apdu")]);
        Run(["se05x", "script", "gate", "--tenant-block", "7A0A0000", "--reading-key", dir.File("acme-reading.key"), "--command-key", dir.File("acme-command.key"),
            "--new-keys", dir.File("acme-own.json"), "--out", dir.File("gate-acme.apdu")]);
        File.WriteAllText(dir.File("beta-delete.apdu"), "sd A0000003965453000000010300000000\n800400280641047A0A0001   # DeleteSecureObject: acme's reading key\n");

        using var broker = new TestBroker("mosquitto");
        string url = $"mqtt://127.0.0.1:{broker.Port}";
        string relayLog = dir.File("relay.log");
        File.WriteAllText(dir.File("tenants.txt"), "owner se05x 7A000000\nacme se05x 7A0A0000\nbeta se05x 7A0B0000\n");
        File.WriteAllText(dir.File("gates.conf"), $"""
            se.card = se05x
            gate.acme = {Label} 7A0A0000
            sensor.temp = acme
            sensor.temp.source = command echo 21.5
            sensor.temp.unit = C
            sensor.temp.interval_s = 1
            sensor.room = acme
            sensor.room.source = attested 44 01 2
            actuator.relay = acme
            actuator.relay.command = echo >> '{relayLog}'
            """);

        using var agent = CliProcess.Start(["agent", .. se, "--tenants", dir.File("tenants.txt"), "--gates", dir.File("gates.conf"), "--owner-tenant", "owner",
            "--platform-keys", dir.File("platform-keys.json"), "--new-store", "--store", dir.File("relay-store.json"), "--broker", url, "--device", Device, "--duration", "240"]);
        agent.WaitForOutput("actuator relay (command) commanded by acme", Timeout);

        string[] target = ["--broker", url, "--device", Device];
        Backend("owner", [dir.File("onboard-acme.apdu"), "--keys", dir.File("owner-auth.json"), "--request-key", dir.File("owner-request.json")], ExitCodes.Ok, agent);
        Backend("owner", [dir.File("onboard-beta.apdu"), "--keys", dir.File("owner-auth.json"), "--request-key", dir.File("owner-request.json")], ExitCodes.Ok, agent);
        Backend("acme", [dir.File("gate-acme.apdu"), "--keys", dir.File("acme-auth.json"), "--request-key", dir.File("acme-request.json"), "--save-data", dir.File("acme-data.txt")], ExitCodes.Ok, agent);

        // Take-over: the key the owner wrote no longer opens acme's session.
        string stale = Backend("acme", [dir.File("onboard-acme.apdu"), "--keys", dir.File("acme-auth.json"), "--request-key", dir.File("acme-request.json")], ExitCodes.Failed, agent);
        Assert.Contains("card cryptogram check failed", stale);

        // Request authentication: beta's request key on acme's topic is refused before the SE opens anything.
        string forged = Backend("acme", [dir.File("gate-acme.apdu"), "--keys", dir.File("acme-own.json"), "--request-key", dir.File("beta-request.json")], ExitCodes.Failed, agent);
        Assert.Contains("NotAuthenticated", forged);

        // Isolation: beta, in its own authenticated session, deletes acme's reading key: the applet refuses (object policy).
        string isolation = Backend("beta", [dir.File("beta-delete.apdu"), "--keys", dir.File("beta-auth.json"), "--request-key", dir.File("beta-request.json")], ExitCodes.Failed, agent);
        Assert.Contains("6986", isolation);

        string[] gate = [.. target, "--tenant", "acme", "--gate", Label, "--card", "se05x"];
        using (var watch = CliProcess.Start(["backend", "watch", .. gate, "--mac-key-file", dir.File("acme-reading.key"), "--count", "2", "--duration", "60", "--state", dir.File("watch.counter")]))
        {
            Assert.True(watch.WaitForExit(Timeout) == ExitCodes.Ok, watch.Output + watch.Error + agent.Output);
            Assert.Matches(@"VERIFIED #\d+ temp 21\.500 C", watch.Output);
        }

        string point = File.ReadAllLines(dir.File("acme-data.txt")).Select(l => l.Split(' ')[1]).Single(d => d.StartsWith("41", StringComparison.Ordinal) && d.Length >= 134)[^130..];
        File.WriteAllText(dir.File("acme-attest.pub"), point + "\n");
        using (var attest = CliProcess.Start(["backend", "attest", .. target, "--tenant", "acme", "--sensor", "room", "--public-key", dir.File("acme-attest.pub"), "--timeout", "30"]))
        {
            Assert.True(attest.WaitForExit(Timeout) == ExitCodes.Ok, attest.Output + attest.Error + agent.Output);
            Assert.Matches("ATTESTED room 0866 ", attest.Output); // 21.50 °C in hundredths: the virtual sensor's default
        }

        using (var actuate = CliProcess.Start(["backend", "actuate", .. gate, "--mac-key-file", dir.File("acme-command.key"), "--actuator", "relay", "--command", "01",
            "--counter-file", dir.File("cmd.counter"), "--timeout", "30"]))
        {
            Assert.True(actuate.WaitForExit(Timeout) == ExitCodes.Ok, actuate.Output + actuate.Error + agent.Output);
            Assert.Contains("APPLIED #1", actuate.Output);
        }

        // The reading key cannot MAC commands: a command MAC'd with it is refused by the SE (the two keys are apart).
        File.WriteAllText(dir.File("cmd.counter"), "5");
        using (var wrongKey = CliProcess.Start(["backend", "actuate", .. gate, "--mac-key-file", dir.File("acme-reading.key"), "--actuator", "relay", "--command", "00",
            "--counter-file", dir.File("cmd.counter"), "--timeout", "30"]))
        {
            Assert.True(wrongKey.WaitForExit(Timeout) == ExitCodes.Failed, wrongKey.Output + wrongKey.Error);
            Assert.Contains("REFUSED #6", wrongKey.Output);
        }

        Assert.Equal("01\n", File.ReadAllText(relayLog));

        string Backend(string tenant, string[] args, int expected, CliProcess agentProcess)
        {
            using var run = CliProcess.Start(["backend", "run", .. args, .. target, "--tenant", tenant, "--state", dir.File($"backend-{tenant}.json")]);
            int code = run.WaitForExit(Timeout);
            Assert.True(code == expected, $"backend run for {tenant} exited {code}, expected {expected}:\n" + run.Output + run.Error + agentProcess.Output);
            return run.Output + run.Error;
        }
    }

    private static void Run(string[] args)
    {
        using var process = CliProcess.Start(args);
        int code = process.WaitForExit(Timeout);
        Assert.True(code == ExitCodes.Ok, string.Join(' ', args) + " exited " + code + ":\n" + process.Output + process.Error);
    }
}
