using System.CommandLine;
using System.Text.Json;
using NanoAgent.Agent.Messages;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Cli;

/// <summary>
/// Issue 21 item 9: <c>--json</c> on every command that reports, in one envelope and one casing, each command's output
/// checked against its documented shape in docs/json.md (<see cref="JsonDoc"/>). The commands that need a running agent
/// are checked where their rigs live (<c>BackendCommandTests.Run_Json_MatchesDocs</c> and the like).
/// </summary>
public sealed class JsonSchemaTests : IDisposable
{
    // Long-running commands print a log, not a report; every other command takes --json.
    private static readonly string[] LogOnly = ["agent", "broker", "broker passwd", "remote", "serve", "fleet simulate"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EveryCommandThatReports_HasJson_AndEachHasItsSection()
    {
        var leaves = Leaves(NanoAgentCli.Build(), string.Empty).ToList();
        var withJson = leaves.Where(c => c.Command.Options.Any(o => o.Name == "--json")).Select(c => c.Name).ToList();

        Assert.Empty(leaves.Select(c => c.Name).Except(withJson).Except(LogOnly));
        Assert.Empty(withJson.Except(JsonDoc.Sections()));
        Assert.Empty(JsonDoc.Sections().Except(withJson).Except(["error"]));
    }

    [Fact]
    public void Error_ParseErrorAndBadFile_EnvelopeWithDataError()
    {
        CliRun parse = CliRun.Of("boards", "show", "--json");
        CliRun badFile = CliRun.Of("gp", "list", "--json", "--state", _dir.File("se.json"), "--keys", _dir.File("missing.json"));

        Assert.Equal("Required argument missing for command: 'show'.", JsonDoc.AssertMatches("boards show", parse.Output, ExitCodes.Usage, "error").GetProperty("error").GetString());
        Assert.StartsWith(_dir.File("missing.json") + ": SCP03 key file not found", JsonDoc.AssertMatches("gp list", badFile.Output, ExitCodes.Usage, "error").GetProperty("error").GetString());
        Assert.Equal(["error"], JsonDocument.Parse(badFile.Output).RootElement.GetProperty("data").EnumerateObject().Select(p => p.Name));
        Assert.NotEmpty(badFile.Error); // standard error still says it, for people
    }

    [Fact]
    public void Help_WithJson_IsStillTheHelp()
    {
        CliRun run = CliRun.Of("se", "probe", "--help", "--json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("--json", run.Output);
        Assert.StartsWith("Description:", run.Output);
    }

    [Fact]
    public void SeProbe_Json_MatchesDocs()
    {
        JsonElement data = JsonDoc.AssertMatches("se probe", Run("se", "probe", "--json", "--state", _dir.File("se.json")).Output, ExitCodes.Ok);

        Assert.True(data.GetProperty("passed").GetBoolean());
        Assert.Contains(data.GetProperty("facts").EnumerateArray(), f => f.GetProperty("label").GetString() == "selected");
    }

    [Fact]
    public void SeApdu_Json_MatchesDocs()
    {
        CliRun run = Run("se", "apdu", "--json", "--state", _dir.File("se.json"), "00A4040008A000000151000000", "00A4040003112233");

        JsonElement data = JsonDoc.AssertMatches("se apdu", run.Output, ExitCodes.Failed);
        Assert.Equal(["9000", "6A82"], data.GetProperty("exchanges").EnumerateArray().Select(e => e.GetProperty("sw").GetString()));
        Assert.Equal("file or application not found", data.GetProperty("exchanges")[1].GetProperty("meaning").GetString());
    }

    [Theory]
    [InlineData("none", ExitCodes.Ok)]
    [InlineData("absent", ExitCodes.NoDevice)]
    public void Diag_Json_MatchesDocs(string fault, int exit)
    {
        JsonElement data = JsonDoc.AssertMatches("diag", Run("diag", "--json", "--state", _dir.File("se.json"), "--echo", "2", "--fault", fault).Output, exit);

        Assert.Equal(exit == 0, data.GetProperty("passed").GetBoolean());
        Assert.Equal(exit == 0 ? "passed" : "noAck", data.GetProperty("findings").EnumerateArray().Last().GetProperty("code").GetString());
    }

    [Fact]
    public void GpList_Json_MatchesDocs()
    {
        JsonElement data = JsonDoc.AssertMatches("gp list", Run("gp", "list", "--json", "--state", _dir.File("se.json"), "--keys", "default").Output, ExitCodes.Ok);

        Assert.Contains(data.GetProperty("entries").EnumerateArray(), e => e.GetProperty("kind").GetString() == "isd" && e.GetProperty("lifeCycle").GetString() == "SECURED");
    }

    [Fact]
    public void GpKeygen_Json_MatchesDocs()
    {
        JsonElement data = JsonDoc.AssertMatches("gp keygen", Run("gp", "keygen", "--json", "--out", _dir.File("k.json"), "--kvn", "01").Output, ExitCodes.Ok);

        Assert.Equal("01", data.GetProperty("kvn").GetString());
        Assert.DoesNotContain(JsonDocument.Parse(File.ReadAllText(_dir.File("k.json"))).RootElement.GetProperty("enc").GetString()!, data.GetRawText());
    }

    [Fact]
    public void GpPutKey_Json_MatchesDocs()
    {
        Run("gp", "keygen", "--out", _dir.File("k.json"), "--kvn", "01");

        CliRun dry = Run("gp", "put-key", "--json", "--state", _dir.File("se.json"), "--keys", "default", "--new-keys", _dir.File("k.json"), "--dry-run");
        CliRun live = Run("gp", "put-key", "--json", "--state", _dir.File("se.json"), "--keys", "default", "--new-keys", _dir.File("k.json"));

        Assert.Equal(8, JsonDoc.AssertMatches("gp put-key", dry.Output, ExitCodes.Ok).GetProperty("apdus").GetArrayLength());
        Assert.Equal("completed", JsonDoc.AssertMatches("gp put-key", live.Output, ExitCodes.Ok).GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("gp lock", "--yes")]
    [InlineData("gp delete", "--dry-run")]
    public void GpCommands_Json_MatchDocs(string command, string mode)
    {
        string[] words = command.Split(' ');
        CliRun run = Run([.. words, "F06E616E6F010101", "--json", "--state", _dir.File("se.json"), "--keys", "default", mode]);

        JsonElement data = JsonDoc.AssertMatches(command, run.Output, ExitCodes.Ok);
        Assert.Equal(mode == "--dry-run", data.GetProperty("dryRun").GetBoolean());
        Assert.Equal(mode == "--dry-run" ? 0 : 1, data.GetProperty("commands").GetArrayLength());
    }

    [Fact]
    public void Scp03Open_Json_MatchesDocs()
    {
        JsonElement data = JsonDoc.AssertMatches("scp03 open",
            Run("scp03", "open", "--json", "--state", _dir.File("se.json"), "--keys", "default", "--apdu", "80CA9F7F00").Output, ExitCodes.Ok);

        Assert.Equal("9000", data.GetProperty("responses")[0].GetProperty("sw").GetString());
        Assert.StartsWith("9F7F", data.GetProperty("responses")[0].GetProperty("data").GetString());
    }

    [Fact]
    public void Bench_Json_MatchesDocs()
    {
        JsonElement data = JsonDoc.AssertMatches("bench", Run("bench", "--quick", "--json").Output, ExitCodes.Ok);

        Assert.Equal("se05xI2c", data.GetProperty("links")[0].GetProperty("protocol").GetString());
    }

    [Fact]
    public void Boards_Json_MatchDocs()
    {
        JsonElement list = JsonDoc.AssertMatches("boards list", Run("boards", "list", "--json").Output, ExitCodes.Ok);
        JsonElement show = JsonDoc.AssertMatches("boards show", Run("boards", "show", "esp32-devkitc", "--json").Output, ExitCodes.Ok);

        Assert.Contains(list.GetProperty("boards").EnumerateArray(), b => b.GetProperty("id").GetString() == "esp32-devkitc");
        Assert.Equal(0x48, show.GetProperty("seI2cAddress").GetInt32());
        Assert.Equal("GPIO21", show.GetProperty("i2c").GetProperty("sda").GetProperty("name").GetString());
    }

    [Fact]
    public void Demo_Json_MatchesDocs()
    {
        JsonElement data = JsonDoc.AssertMatches("demo", Run("demo", "--json", "--dir", _dir.File("demo")).Output, ExitCodes.Ok);

        Assert.True(data.GetProperty("checks").GetArrayLength() >= 20);
        Assert.All(data.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean()));
    }

    [Fact]
    public void BrokerAcl_Json_MatchesDocs()
    {
        File.WriteAllText(_dir.File("tenants.txt"), "acme A0000001515350410A 1\n");
        File.WriteAllText(_dir.File("users"), "dev1 agent dev1 -\nacme-be tenant acme -\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir.File("users"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        JsonElement data = JsonDoc.AssertMatches("broker acl",
            Run("broker", "acl", "--json", "--tenants", _dir.File("tenants.txt"), "--users", _dir.File("users"), "--out", _dir.File("mq")).Output, ExitCodes.Ok);

        Assert.True(File.Exists(data.GetProperty("aclFile").GetString()));
        Assert.Equal(["dev1"], data.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public void ProvisionPackAndIssuerKey_Json_MatchDocs()
    {
        CliRun key = Run("provision", "issuer-key", "--json", "--private", _dir.File("k.pem"), "--public", _dir.File("k.pub.pem"));
        File.WriteAllBytes(_dir.File("r.e1"), Request());
        CliRun pack = Run("provision", "pack", "--json", "--out", _dir.File("bundle.json"), "--bundle-id", "b1", "--device", "d",
            "--issuer-private", _dir.File("k.pem"), "--request", _dir.File("r.e1"));

        Assert.Equal(_dir.File("k.pub.pem"), JsonDoc.AssertMatches("provision issuer-key", key.Output, ExitCodes.Ok).GetProperty("publicKey").GetString());
        JsonElement data = JsonDoc.AssertMatches("provision pack", pack.Output, ExitCodes.Ok);
        Assert.Equal("owner", data.GetProperty("items")[0].GetProperty("tenant").GetString());
        Assert.Equal(1, data.GetProperty("items")[0].GetProperty("steps").GetInt32());
    }

    private static CliRun Run(params string[] args)
    {
        CliRun run = CliRun.Of(args);
        Assert.DoesNotContain("internal error", run.Error);
        return run;
    }

    private static IEnumerable<(string Name, Command Command)> Leaves(Command command, string prefix)
    {
        string name = command is RootCommand ? string.Empty : (prefix + " " + command.Name).Trim();
        if (command.Action is not null && command is not RootCommand)
        {
            yield return (name, command);
        }

        foreach (Command sub in command.Subcommands)
        {
            foreach (var leaf in Leaves(sub, name))
            {
                yield return leaf;
            }
        }
    }

    private static byte[] Request() =>
        new RequestSigner(NanoAgent.Drivers.Host.Crypto.BouncyCastleAesFactory.Instance.CreateAes(new byte[16], 0, 16), 0x60, "d", "owner").Sign(new ScriptRequest
        {
            ScriptId = [1, 2, 3, 4], TenantId = "owner", Counter = 1, TargetAid = Hex.Parse("A000000151000000"),
            Steps = [new ScriptStep(Hex.Parse("80CA9F7F00"), 0x9000, 0xFFFF, false, true)],
        });
}
