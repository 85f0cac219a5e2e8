using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Common;
using NanoAgent.Host.Provision;
using NanoAgent.Host.Tests.Remote;

namespace NanoAgent.Host.Tests.Cli;

/// <summary>
/// Issue 21 item 7: every command follows the one written rule (docs/exit-codes.md): 1 a peer answered with a refusal,
/// 2 bad input (the command line or a file it names, input or output), 3 something needed cannot be reached or had.
/// One test per row of the issue.
/// </summary>
public sealed class ExitCodeRuleTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // The codes a failing diagnosis can carry, each with the exit the rule gives it.
    public static TheoryData<DiagnosticCode, int> Diagnoses() => new()
    {
        { DiagnosticCode.NoAck, ExitCodes.NoDevice },
        { DiagnosticCode.WrongAddress, ExitCodes.NoDevice },
        { DiagnosticCode.StuckNack, ExitCodes.NoDevice },
        { DiagnosticCode.BusStuck, ExitCodes.NoDevice },
        { DiagnosticCode.WrongProtocol, ExitCodes.Failed },
        { DiagnosticCode.UnknownAnswer, ExitCodes.Failed },
        { DiagnosticCode.CrcErrors, ExitCodes.Failed },
        { DiagnosticCode.SpeedDependentErrors, ExitCodes.Failed },
        { DiagnosticCode.ResetUnderLoad, ExitCodes.Failed },
        { DiagnosticCode.EchoErrors, ExitCodes.Failed },
        { DiagnosticCode.LinkFailure, ExitCodes.Failed },
    };

    [Theory]
    [MemberData(nameof(Diagnoses))]
    public void Diag_EachDiagnosis_NothingAnswersIs3_AWrongAnswerIs1(DiagnosticCode code, int exit)
    {
        var report = new DiagnosticReport();
        report.Add(new DiagnosticFinding("identify", DiagnosticCode.ScanResult, DiagnosticSeverity.Info, "scan"));
        report.Add(new DiagnosticFinding("identify", code, DiagnosticSeverity.Fail, "failed"));

        Assert.Equal(exit, DiagCommand.ExitCode(report));
    }

    [Fact]
    public void Diag_EveryDiagnosisCode_HasItsRow()
    {
        var rows = Diagnoses().Select(row => (DiagnosticCode)row[0]).ToHashSet();

        // Passed and ScanResult are facts, never a failure; every other code must have a decided exit code.
        Assert.Equal(Enum.GetValues<DiagnosticCode>().Except([DiagnosticCode.Passed, DiagnosticCode.ScanResult]).Order(), rows.Order());
    }

    [Fact]
    public void Diag_WarningsOnly_Pass0()
    {
        var report = new DiagnosticReport();
        report.Add(new DiagnosticFinding("sweep", DiagnosticCode.SpeedDependentErrors, DiagnosticSeverity.Warning, "margin"));

        Assert.Equal(ExitCodes.Ok, DiagCommand.ExitCode(report));
    }

    [Fact]
    public void Agent_EmbeddedBrokerPortInUse_NoDeviceLikeBroker()
    {
        using TcpListener taken = Listen();
        File.WriteAllText(_dir.File("tenants.txt"), "acme A0000001515350410A 1\n");

        CliRun run = CliRun.Of("agent", "--tenants", _dir.File("tenants.txt"), "--state", _dir.File("se.json"), "--store", _dir.File("store.json"),
            "--new-store", "--no-platform-scp", "--embedded-broker", Port(taken).ToString(), "--duration", "1");

        Assert.Equal(ExitCodes.NoDevice, run.ExitCode);
        Assert.Contains($"cannot start the broker on 127.0.0.1:{Port(taken)}", run.Error);
    }

    [Fact]
    public void Agent_GpioLineThatCannotBeOpened_NoDeviceBeforeAnythingIsCreated()
    {
        File.WriteAllText(_dir.File("tenants.txt"), "acme A0000001515350410A 1\n");
        File.WriteAllText(_dir.File("gates.conf"), "gate.acme = F06E616E6F47410A\nactuator.relay = acme\nactuator.relay.pin = 1023\n");

        CliRun run = CliRun.Of("agent", "--tenants", _dir.File("tenants.txt"), "--state", _dir.File("se.json"), "--store", _dir.File("store.json"),
            "--new-store", "--no-platform-scp", "--embedded-broker", "0", "--gates", _dir.File("gates.conf"), "--duration", "1");

        Assert.Equal(ExitCodes.NoDevice, run.ExitCode); // a local resource it could not get, like a port in use
        Assert.StartsWith("GPIO line 1023 cannot be opened", run.Error);
        Assert.False(File.Exists(_dir.File("store.json")));
    }

    [Fact]
    public void Provision_EmbeddedBrokerPortInUse_NoDeviceLikeBroker()
    {
        using TcpListener taken = Listen();

        CliRun run = CliRun.Of("provision", "--device", "d", "--bundle", SignedBundle(), "--issuer-key", _dir.File("issuer.pub.pem"),
            "--journal", _dir.File("j"), "--receipt", _dir.File("r.json"), "--embedded-broker", Port(taken).ToString());

        Assert.Equal(ExitCodes.NoDevice, run.ExitCode);
        Assert.Contains("cannot reach the broker", run.Error);
    }

    [Fact]
    public void BackendRun_BrokerDown_NoDeviceLikeAgentAndProvision()
    {
        NanoAgent.Host.Tests.Backend.AgentRig.WriteKeys(_dir.File("keys.json"), 0x01, 0x10);
        NanoAgent.Host.Tests.Backend.AgentRig.WriteKeys(_dir.File("request-key.json"), 0x60, 0x50);
        File.WriteAllText(_dir.File("t.apdu"), NanoAgent.Host.Tests.Backend.TenantBackendTests.Script());
        using TcpListener closed = Listen();
        int port = Port(closed);
        closed.Stop();

        CliRun run = CliRun.Of("backend", "run", _dir.File("t.apdu"), "--broker", $"mqtt://127.0.0.1:{port}", "--device", "dev1", "--tenant", "acme",
            "--keys", _dir.File("keys.json"), "--request-key", _dir.File("request-key.json"), "--state", _dir.File("state.json"), "--timeout", "5");

        Assert.Equal(ExitCodes.NoDevice, run.ExitCode);
    }

    [Fact]
    public void GpKeygen_ExistingFile_UsageUnlessForce()
    {
        string file = _dir.File("keys.json");
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "keygen", "--out", file).ExitCode);
        string first = File.ReadAllText(file);

        CliRun again = CliRun.Of("gp", "keygen", "--out", file);
        CliRun forced = CliRun.Of("gp", "keygen", "--out", file, "--force");

        Assert.Equal(ExitCodes.Usage, again.ExitCode);
        Assert.Equal($"error: {file}: SCP03 key file already exists: it is never overwritten, since a card may hold its keys. Give --force to replace it.", again.Error.TrimEnd());
        Assert.Equal(ExitCodes.Ok, forced.ExitCode);
        Assert.NotEqual(first, File.ReadAllText(file));
        Assert.False(File.Exists(file + ".new"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void GpKeygen_OutInAFolderThatCannotExist_Usage()
    {
        File.WriteAllText(_dir.File("afile"), "x");

        CliRun run = CliRun.Of("gp", "keygen", "--out", _dir.File("afile") + "/keys.json");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: {_dir.File("afile")}/keys.json: SCP03 key file cannot be written", run.Error);
    }

    [Fact]
    public void ProvisionIssuerKey_ExistingFile_UsageUnlessForce()
    {
        string[] args = ["provision", "issuer-key", "--private", _dir.File("k.pem"), "--public", _dir.File("k.pub.pem")];
        Assert.Equal(ExitCodes.Ok, CliRun.Of(args).ExitCode);
        string first = File.ReadAllText(_dir.File("k.pem"));

        CliRun again = CliRun.Of(args);

        Assert.Equal(ExitCodes.Usage, again.ExitCode);
        Assert.StartsWith($"error: {_dir.File("k.pem")}: already exists", again.Error);
        Assert.Equal(first, File.ReadAllText(_dir.File("k.pem")));
        Assert.Equal(ExitCodes.Ok, CliRun.Of([.. args, "--force"]).ExitCode);
        Assert.NotEqual(first, File.ReadAllText(_dir.File("k.pem")));
    }

    [Fact]
    public void BrokerAcl_OutFolderCannotBeMade_Usage()
    {
        File.WriteAllText(_dir.File("tenants.txt"), "acme A0000001515350410A 1\n");
        File.WriteAllText(_dir.File("users"), "dev1 agent dev1 -\nacme-be tenant acme -\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir.File("users"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(_dir.File("afile"), "x");

        CliRun run = CliRun.Of("broker", "acl", "--tenants", _dir.File("tenants.txt"), "--users", _dir.File("users"), "--out", _dir.File("afile"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: {_dir.File("afile")}: cannot write the mosquitto files", run.Error);
    }

    [Fact]
    public void ProvisionPack_OutCannotBeWritten_Usage()
    {
        SignedBundle();
        File.WriteAllBytes(_dir.File("request.e1"), Request());
        File.WriteAllText(_dir.File("afile"), "x");

        CliRun run = CliRun.Of("provision", "pack", "--out", _dir.File("afile") + "/bundle.json", "--bundle-id", "b", "--device", "d",
            "--issuer-private", _dir.File("issuer.key.pem"), "--request", _dir.File("request.e1"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: {_dir.File("afile")}/bundle.json: cannot write the bundle", run.Error);
    }

    [Fact]
    public void ProvisionPack_BundleIdNotAnIdentifier_Usage()
    {
        SignedBundle();
        File.WriteAllBytes(_dir.File("request.e1"), Request());

        CliRun run = CliRun.Of("provision", "pack", "--out", _dir.File("bundle.json"), "--bundle-id", "no/slash", "--device", "d",
            "--issuer-private", _dir.File("issuer.key.pem"), "--request", _dir.File("request.e1"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("error: cannot pack the bundle", run.Error);
        Assert.False(File.Exists(_dir.File("bundle.json")));
    }

    [Fact]
    public void Agent_PlatformKeysOfAnotherSe_FailedNotOnline()
    {
        File.WriteAllText(_dir.File("tenants.txt"), "acme A0000001515350410A 1\n");
        string[] agent = ["agent", "--tenants", _dir.File("tenants.txt"), "--state", _dir.File("se.json"), "--store", _dir.File("store.json"),
            "--embedded-broker", "0", "--duration", "1"];
        CliRun first = CliRun.Of([.. agent, "--new-store", "--platform-keys", _dir.File("ours.json")]);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Output + first.Error);
        Assert.Contains("the virtual SE was given the platform keys of", first.Output);
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "keygen", "--out", _dir.File("other.json")).ExitCode); // same KVN 30, other keys

        CliRun other = CliRun.Of([.. agent, "--platform-keys", _dir.File("other.json")]);
        CliRun ours = CliRun.Of([.. agent, "--platform-keys", _dir.File("ours.json")]);

        Assert.Equal(ExitCodes.Failed, other.ExitCode);
        Assert.StartsWith("platform SCP03 failed: the platform keys do not match the SE's", other.Error);
        Assert.DoesNotContain(" online at ", other.Output);
        Assert.True(ours.ExitCode == ExitCodes.Ok, ours.Output + ours.Error); // the SE kept its keys, the right file still opens it
        Assert.Contains(" online at ", ours.Output);
    }

    [Theory]
    [InlineData("se", "probe", "--bogus")]
    [InlineData("gp", "list")]
    [InlineData("diag", "--echo", "x")]
    [InlineData("broker", "--port", "x")]
    [InlineData("nosuchcommand")]
    [InlineData("broker", "--port", "99999")]
    public void ParseError_OneLineNoHelpTail_Usage(params string[] args)
    {
        CliRun run = CliRun.Of(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain("--help", line);
        Assert.Equal(string.Empty, run.Output);
    }

    [Fact]
    public void ParseError_WithJson_TheEnvelopeCarriesTheError()
    {
        CliRun run = CliRun.Of("se", "probe", "--json", "--bogus");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Output);
        Assert.Equal("se probe", doc.RootElement.GetProperty("command").GetString());
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(ExitCodes.Usage, doc.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal("Unrecognized command or argument '--bogus'.", doc.RootElement.GetProperty("data").GetProperty("error").GetString());
    }

    [Fact]
    public async Task Remote_ToolClosesInsideAMessage_NoDevice()
    {
        using var tool = new TestToolServer();
        var run = Task.Run(() => CliRun.Of("remote", "--tool", tool.Address, "--state", _dir.File("se.json")));
        tool.Accept();
        tool.SendRaw([0, 0, 0, 10, (byte)'{']);
        tool.Hangup();

        CliRun result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.NoDevice, result.ExitCode);
        Assert.Contains("the session with the test tool broke after 0 command(s)", result.Error);
    }

    [Fact]
    public async Task Remote_ToolSendsALengthThatCannotBeFollowed_Failed()
    {
        using var tool = new TestToolServer();
        var run = Task.Run(() => CliRun.Of("remote", "--tool", tool.Address, "--state", _dir.File("se.json")));
        tool.Accept();
        tool.SendRaw([0x80, 0, 0, 0]);

        CliRun result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("length prefix", result.Error);
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    // A bundle for device "d" signed by a fresh issuer key (issuer.key.pem / issuer.pub.pem in the folder).
    private string SignedBundle()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(_dir.File("issuer.key.pem"), key.ExportECPrivateKeyPem());
        File.WriteAllText(_dir.File("issuer.pub.pem"), key.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(_dir.File("bundle.signed.json"), new BundleBuilder().Add(Request()).Sign("b", "d", key).ToJson());
        return _dir.File("bundle.signed.json");
    }

    private static byte[] Request() =>
        new RequestSigner(NanoAgent.Drivers.Host.Crypto.BouncyCastleAesFactory.Instance.CreateAes(new byte[16], 0, 16), 0x60, "d", "owner").Sign(new ScriptRequest
        {
            ScriptId = [1, 2, 3, 4], TenantId = "owner", Counter = 1, TargetAid = Hex.Parse("A000000151000000"),
            Steps = [new ScriptStep(Hex.Parse("80CA9F7F00"), 0x9000, 0xFFFF, false, true)],
        });
}
