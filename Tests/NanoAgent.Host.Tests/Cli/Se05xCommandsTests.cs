using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;
using NanoAgent.Host.Gate;

namespace NanoAgent.Host.Tests.Cli;

/// <summary><c>nanoagent se05x keygen | bootstrap | script</c> in-process (the process test runs them as programs:
/// <see cref="Gate.Se05xAgentProcessTests"/>).</summary>
public class Se05xCommandsTests
{
    [Fact]
    public void Keygen_OneKeyFile_Mode600_NeverOverwritten_GateKeyFile()
    {
        using var dir = new TempDir();
        string auth = dir.File("auth.json");
        string request = dir.File("request.json");
        string gate = dir.File("reading.key");

        Assert.Equal(ExitCodes.Ok, CliRun.Of("se05x", "keygen", "--out", auth).ExitCode);
        Assert.Equal(ExitCodes.Ok, CliRun.Of("se05x", "keygen", "--out", request, "--kvn", "60").ExitCode);
        CliRun run = CliRun.Of("se05x", "keygen", "--out", gate, "--gate");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);

        byte[] key = TenantKeyFile.LoadSe05x(auth); // enc = mac = dek
        Assert.Equal(16, key.Length);
        Assert.Equal(0x60, TenantKeyFile.LoadRaw(request).Kvn);
        Assert.DoesNotContain(Convert.ToHexString(GateKeyFile.LoadMacKey(gate)), run.Output);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(auth));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(gate));
        }

        Assert.Equal(ExitCodes.Failed, CliRun.Of("se05x", "keygen", "--out", auth).ExitCode);
        Assert.Equal(key, TenantKeyFile.LoadSe05x(auth));
        Assert.Equal(ExitCodes.Usage, CliRun.Of("se05x", "keygen", "--out", dir.File("x.json"), "--kvn", "80").ExitCode);
    }

    [Fact]
    public void Bootstrap_OnTheVirtualSe05x_ThenAgain_TheObjectsExist()
    {
        using var dir = new TempDir();
        CliRun.Of("se05x", "keygen", "--out", dir.File("auth.json"));
        CliRun.Of("se05x", "keygen", "--out", dir.File("request.json"), "--kvn", "60");
        string[] args = ["se05x", "bootstrap", "--card", "se05x", "--state", dir.File("se.json"), "--owner", "7A000000",
            "--keys", dir.File("auth.json"), "--request-key", dir.File("request.json")];

        CliRun first = CliRun.Of(args);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Output + first.Error);
        Assert.Contains("owner 7A000000: authentication object and request key 60 created", first.Output);

        // Again: nothing is written over the owner's objects.
        CliRun second = CliRun.Of(args);
        Assert.Equal(ExitCodes.Failed, second.ExitCode);
        Assert.Contains("exists already; nothing written", second.Output);

        // A GP card has no IoT applet.
        CliRun gp = CliRun.Of(["se05x", "bootstrap", "--state", dir.File("gp.json"), "--owner", "7A000000", "--keys", dir.File("auth.json"), "--request-key", dir.File("request.json")]);
        Assert.Equal(ExitCodes.Failed, gp.ExitCode);
        Assert.Contains("no IoT applet", gp.Output);
    }

    [Fact]
    public void Bootstrap_BadInputs_ClearErrors()
    {
        using var dir = new TempDir();
        CliRun.Of("gp", "keygen", "--out", dir.File("gp.json"), "--kvn", "01");
        CliRun.Of("se05x", "keygen", "--out", dir.File("auth.json"));
        CliRun.Of("se05x", "keygen", "--out", dir.File("notrequest.json"), "--kvn", "01");
        string[] se = ["se05x", "bootstrap", "--card", "se05x", "--state", dir.File("se.json")];

        CliRun threeKeys = CliRun.Of([.. se, "--owner", "7A000000", "--keys", dir.File("gp.json"), "--request-key", dir.File("auth.json")]);
        Assert.Equal(2, threeKeys.ExitCode);
        Assert.Contains("enc, mac and dek must be the same 16 bytes", threeKeys.Error);

        CliRun version = CliRun.Of([.. se, "--owner", "7A000000", "--keys", dir.File("auth.json"), "--request-key", dir.File("notrequest.json")]);
        Assert.Equal(2, version.ExitCode);
        Assert.Contains("key version 60 to 6F", version.Error);

        CliRun block = CliRun.Of([.. se, "--owner", "7A000001", "--keys", dir.File("auth.json"), "--request-key", dir.File("auth.json")]);
        Assert.NotEqual(ExitCodes.Ok, block.ExitCode);
        Assert.Contains("--owner", block.Error);
    }

    [Fact]
    public void ScriptOnboardAndGate_TargetTheApplet_PlainCommands()
    {
        using var dir = new TempDir();
        CliRun.Of("se05x", "keygen", "--out", dir.File("auth.json"));
        CliRun.Of("se05x", "keygen", "--out", dir.File("request.json"), "--kvn", "61");
        CliRun.Of("se05x", "keygen", "--out", dir.File("reading.key"), "--gate");
        CliRun.Of("se05x", "keygen", "--out", dir.File("command.key"), "--gate");

        CliRun onboard = CliRun.Of("se05x", "script", "onboard", "--tenant-block", "7A0A0000", "--keys", dir.File("auth.json"), "--request-key", dir.File("request.json"));
        Assert.Equal(ExitCodes.Ok, onboard.ExitCode);
        Assert.Contains("sd A0000003965453000000010300000000", onboard.Output);
        Assert.Contains("7A0A0000", onboard.Output);
        Assert.Contains("7A0A0061", onboard.Output);

        CliRun gate = CliRun.Of("se05x", "script", "gate", "--tenant-block", "7A0A0000", "--reading-key", dir.File("reading.key"), "--command-key", dir.File("command.key"),
            "--out", dir.File("gate.apdu"));
        Assert.Equal(ExitCodes.Ok, gate.ExitCode);
        string text = File.ReadAllText(dir.File("gate.apdu"));
        foreach (string id in new[] { "7A0A0001", "7A0A0002", "7A0A0003", "7A0A0004", "7A0A0005" })
        {
            Assert.Contains(id, text);
        }
    }
}

/// <summary><c>agent</c> refuses tenants, gates and <c>--card</c> that are not for one kind of SE (before any broker or SE).</summary>
public class AgentCardMismatchTests
{
    [Theory]
    [InlineData("", "acme se05x 7A0A0000\n", null, "need the virtual SE05x: add --card se05x")]
    [InlineData("se05x", "acme A000000151535301\n", null, "tenant 'acme' names an SD AID")]
    [InlineData("se05x", "acme se05x 7A0A0000\nbeta A000000151535302\n", null, "mixes SE05x tenants ('acme') and GP tenants ('beta')")]
    [InlineData("", "acme A000000151535301\n", "se.card = se05x\ngate.acme = F06E616E6F47410A 7A0A0000\n", "the gates file is for an SE05x")]
    [InlineData("se05x", "acme se05x 7A0A0000\n", "gate.acme = F06E616E6F47410A\n", "the gates file is for the gate applet of a GP card")]
    public void Agent_CardTenantsAndGatesMustFit_Exit2(string card, string tenants, string? gates, string message)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("tenants.txt"), tenants);
        var args = new List<string> { "agent", "--state", dir.File("se.json"), "--tenants", dir.File("tenants.txt"), "--device", "d", "--broker", "mqtt://127.0.0.1:1" };
        if (card.Length > 0)
        {
            args.AddRange(["--card", card]);
        }

        if (gates is not null)
        {
            File.WriteAllText(dir.File("gates.conf"), gates);
            args.AddRange(["--gates", dir.File("gates.conf")]);
        }

        CliRun run = CliRun.Of([.. args]);
        Assert.True(run.ExitCode == ExitCodes.Usage, run.Output + run.Error);
        Assert.Contains(message, run.Error);
    }
}
