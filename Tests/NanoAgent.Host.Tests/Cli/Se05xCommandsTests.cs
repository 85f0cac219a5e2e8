using System.Text.Json;
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

        CliRun again = CliRun.Of("se05x", "keygen", "--out", auth);
        Assert.Equal(ExitCodes.Usage, again.ExitCode); // docs/exit-codes.md: a file a new one would be written onto is bad input
        Assert.Equal($"error: {auth}: exists; keygen never overwrites a key file", again.Error.Trim());
        Assert.Equal(key, TenantKeyFile.LoadSe05x(auth));
        Assert.Equal(ExitCodes.Usage, CliRun.Of("se05x", "keygen", "--out", dir.File("x.json"), "--kvn", "80").ExitCode);
    }

    [Fact]
    public void Keygen_Json_MatchesDocs_TheCheckValueAndNeverTheKey()
    {
        using var dir = new TempDir();

        JsonElement auth = JsonDoc.AssertMatches("se05x keygen", CliRun.Of("se05x", "keygen", "--json", "--out", dir.File("auth.json")).Output, ExitCodes.Ok);
        CliRun requestRun = CliRun.Of("se05x", "keygen", "--json", "--out", dir.File("request.json"), "--kvn", "60");
        JsonElement request = JsonDoc.AssertMatches("se05x keygen", requestRun.Output, ExitCodes.Ok);
        CliRun gateRun = CliRun.Of("se05x", "keygen", "--json", "--out", dir.File("reading.key"), "--gate");
        JsonElement gate = JsonDoc.AssertMatches("se05x keygen", gateRun.Output, ExitCodes.Ok);

        Assert.Equal(("authentication", "01"), (auth.GetProperty("kind").GetString(), auth.GetProperty("kvn").GetString()));
        Assert.Equal(("request", "60"), (request.GetProperty("kind").GetString(), request.GetProperty("kvn").GetString()));
        Assert.Equal(("gate", JsonValueKind.Null), (gate.GetProperty("kind").GetString(), gate.GetProperty("kvn").ValueKind));
        Assert.Equal(dir.File("auth.json"), auth.GetProperty("file").GetString());
        byte[] authKey = TenantKeyFile.LoadSe05x(dir.File("auth.json"));
        byte[] gateKey = GateKeyFile.LoadMacKey(dir.File("reading.key"));
        Assert.Equal(Convert.ToHexString(GateVerifier.KeyCheckValue(authKey)), auth.GetProperty("kcv").GetString());
        Assert.Equal(Convert.ToHexString(GateVerifier.KeyCheckValue(gateKey)), gate.GetProperty("kcv").GetString());
        Assert.DoesNotContain(Convert.ToHexString(TenantKeyFile.LoadRaw(dir.File("request.json")).Mac), requestRun.Output);
        Assert.DoesNotContain(Convert.ToHexString(gateKey), gateRun.Output);
    }

    [Fact]
    public void Keygen_OutCannotBeWritten_Usage()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("folder"));

        CliRun noFolder = CliRun.Of("se05x", "keygen", "--out", dir.File("no/such/folder/auth.json"));
        CliRun aFolder = CliRun.Of("se05x", "keygen", "--out", dir.File("folder"), "--gate");

        Assert.Equal(ExitCodes.Usage, noFolder.ExitCode);
        Assert.StartsWith($"error: {dir.File("no/such/folder/auth.json")}: cannot be written", noFolder.Error);
        Assert.Equal(ExitCodes.Usage, aFolder.ExitCode);
        Assert.StartsWith($"error: {dir.File("folder")}: exists", aFolder.Error);
    }

    [Fact]
    public void Bootstrap_Json_MatchesDocs_CreatedThenRefused_KeysByCheckValue()
    {
        using var dir = new TempDir();
        CliRun.Of("se05x", "keygen", "--out", dir.File("auth.json"));
        CliRun.Of("se05x", "keygen", "--out", dir.File("request.json"), "--kvn", "61");
        string[] args = ["se05x", "bootstrap", "--json", "--card", "se05x", "--state", dir.File("se.json"), "--owner", "7A000000",
            "--keys", dir.File("auth.json"), "--request-key", dir.File("request.json")];

        CliRun firstRun = CliRun.Of(args);
        JsonElement first = JsonDoc.AssertMatches("se05x bootstrap", firstRun.Output, ExitCodes.Ok);
        JsonElement second = JsonDoc.AssertMatches("se05x bootstrap", CliRun.Of(args).Output, ExitCodes.Failed);

        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.Equal(("9000", JsonValueKind.Null), (first.GetProperty("sw").GetString(), first.GetProperty("failure").ValueKind));
        Assert.Equal(["7A000000", "7A000061"], first.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("object").GetString()));
        byte[] authKey = TenantKeyFile.LoadSe05x(dir.File("auth.json"));
        Assert.Equal(Convert.ToHexString(GateVerifier.KeyCheckValue(authKey)), first.GetProperty("keys")[0].GetProperty("kcv").GetString());
        Assert.DoesNotContain(Convert.ToHexString(authKey), firstRun.Output);
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal("6A89", second.GetProperty("sw").GetString());
        Assert.Contains("exists already; nothing written", second.GetProperty("failure").GetString());
    }

    [Fact]
    public void Bootstrap_SeUnreachableOrItsStateCorrupt_Exit3Or2()
    {
        using var dir = new TempDir();
        CliRun.Of("se05x", "keygen", "--out", dir.File("auth.json"));
        CliRun.Of("se05x", "keygen", "--out", dir.File("request.json"), "--kvn", "60");
        string[] keys = ["--owner", "7A000000", "--keys", dir.File("auth.json"), "--request-key", dir.File("request.json")];
        File.WriteAllText(dir.File("se.se05x.json"), "{ not json");

        CliRun bus = CliRun.Of(["se05x", "bootstrap", "--bus", "/dev/i2c-97", .. keys]);
        CliRun corrupt = CliRun.Of(["se05x", "bootstrap", "--card", "se05x", "--state", dir.File("se.json"), .. keys]);

        Assert.True(bus.ExitCode == ExitCodes.NoDevice, bus.Output + bus.Error);
        Assert.Contains("/dev/i2c-97", bus.Error);
        Assert.True(corrupt.ExitCode == ExitCodes.Usage, corrupt.Output + corrupt.Error);
        Assert.StartsWith("error: " + dir.File("se.se05x.json") + ": ", corrupt.Error);
        Assert.Equal("{ not json", File.ReadAllText(dir.File("se.se05x.json")));
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
        Assert.Equal(ExitCodes.Usage, block.ExitCode);
        Assert.StartsWith("error: --owner '7A000001' is not an authentication object id", block.Error);
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

    [Fact]
    public void ScriptOnboardAndGate_Json_MatchDocs_FileMode600_KeysByCheckValue()
    {
        using var dir = new TempDir();
        foreach (string[] keygen in new[] { new[] { "auth.json" }, ["request.json", "--kvn", "61"], ["own.json"], ["reading.key", "--gate"], ["command.key", "--gate"] })
        {
            Assert.Equal(ExitCodes.Ok, CliRun.Of(["se05x", "keygen", "--out", dir.File(keygen[0]), .. keygen[1..]]).ExitCode);
        }

        CliRun onboard = CliRun.Of("se05x", "script", "onboard", "--json", "--tenant-block", "7A0A0000", "--keys", dir.File("auth.json"),
            "--request-key", dir.File("request.json"), "--out", dir.File("onboard.apdu"));
        CliRun gate = CliRun.Of("se05x", "script", "gate", "--json", "--tenant-block", "7A0A0000", "--reading-key", dir.File("reading.key"),
            "--command-key", dir.File("command.key"), "--new-keys", dir.File("own.json"), "--out", dir.File("gate.apdu"));

        JsonElement o = JsonDoc.AssertMatches("se05x script onboard", onboard.Output, ExitCodes.Ok);
        JsonElement g = JsonDoc.AssertMatches("se05x script gate", gate.Output, ExitCodes.Ok);
        Assert.Equal((2, "7A0A0000", "A0000003965453000000010300000000"), (o.GetProperty("steps").GetInt32(), o.GetProperty("tenantBlock").GetString(), o.GetProperty("sd").GetString()));
        Assert.Equal(["7A0A0000 authentication", "7A0A0061 request"], o.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("object").GetString() + " " + k.GetProperty("role").GetString()));
        Assert.Equal(8, g.GetProperty("steps").GetInt32());
        Assert.Equal(["7A0A0001 reading", "7A0A0002 command", "7A0A0000 authentication"], g.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("object").GetString() + " " + k.GetProperty("role").GetString()));
        byte[] reading = GateKeyFile.LoadMacKey(dir.File("reading.key"));
        Assert.Equal(Convert.ToHexString(GateVerifier.KeyCheckValue(reading)), g.GetProperty("keys")[0].GetProperty("kcv").GetString());

        // The scripts hold the keys (plain commands the backend wraps in SCP03); the reports never do.
        string authHex = Convert.ToHexString(TenantKeyFile.LoadSe05x(dir.File("auth.json")));
        Assert.Contains(authHex, File.ReadAllText(dir.File("onboard.apdu")));
        Assert.DoesNotContain(authHex, onboard.Output);
        Assert.Contains(Convert.ToHexString(reading), File.ReadAllText(dir.File("gate.apdu")));
        Assert.DoesNotContain(Convert.ToHexString(reading), gate.Output);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("onboard.apdu")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("gate.apdu")));
        }
    }

    [Fact]
    public void Script_OutExistsOrCannotBeWritten_JsonWithoutOut_Usage()
    {
        using var dir = new TempDir();
        CliRun.Of("se05x", "keygen", "--out", dir.File("auth.json"));
        CliRun.Of("se05x", "keygen", "--out", dir.File("request.json"), "--kvn", "60");
        File.WriteAllText(dir.File("old.apdu"), "# kept\n");
        string[] onboard = ["se05x", "script", "onboard", "--tenant-block", "7A0A0000", "--keys", dir.File("auth.json"), "--request-key", dir.File("request.json")];

        CliRun exists = CliRun.Of([.. onboard, "--out", dir.File("old.apdu")]);
        CliRun noFolder = CliRun.Of([.. onboard, "--out", dir.File("no/such/x.apdu")]);
        CliRun jsonAlone = CliRun.Of([.. onboard, "--json"]);
        CliRun.Of("gp", "keygen", "--out", dir.File("gp.json"), "--kvn", "01");
        CliRun threeKeys = CliRun.Of("se05x", "script", "onboard", "--tenant-block", "7A0A0000", "--keys", dir.File("gp.json"), "--request-key", dir.File("request.json"));
        CliRun block = CliRun.Of("se05x", "script", "gate", "--tenant-block", "7A0A0001", "--reading-key", dir.File("r.key"), "--command-key", dir.File("c.key"));

        Assert.Equal(ExitCodes.Usage, exists.ExitCode);
        Assert.Equal($"error: {dir.File("old.apdu")}: exists; a script file is never replaced", exists.Error.Trim());
        Assert.Equal("# kept\n", File.ReadAllText(dir.File("old.apdu")));
        Assert.Equal(ExitCodes.Usage, noFolder.ExitCode);
        Assert.StartsWith($"error: {dir.File("no/such/x.apdu")}: cannot be written", noFolder.Error);
        Assert.Contains("--json needs --out", JsonDoc.AssertMatches("se05x script onboard", jsonAlone.Output, ExitCodes.Usage, "error").GetProperty("error").GetString());
        Assert.DoesNotContain("A0000003965453", jsonAlone.Output); // nothing of the script
        Assert.Equal(ExitCodes.Usage, threeKeys.ExitCode);
        Assert.Contains("enc, mac and dek must be the same 16 bytes", threeKeys.Error);
        Assert.Equal(ExitCodes.Usage, block.ExitCode);
        Assert.StartsWith("error: --tenant-block '7A0A0001' is not an authentication object id", block.Error);
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
