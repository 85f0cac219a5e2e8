using NanoAgent.Agent.Messages;
using NanoAgent.Host.Common;
using NanoAgent.Host.Demo;
using NanoAgent.Host.Tests.Backend;

namespace NanoAgent.Host.Tests.Provision;

/// <summary>
/// issue 21: field provisioning from the command line alone. <c>backend run --out</c> writes a tenant's pre-computed,
/// MAC'd E1 requests (batch, or plain for commands outside a secure channel) and reserves their counters; <c>provision
/// pack</c> signs them and <c>provision</c> runs them through the relay.
/// </summary>
public sealed class RequestFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly AgentRig _rig = new(channel: 1);

    public RequestFileTests()
    {
        AgentRig.WriteKeys(_dir.File("acme-keys.json"), 0x01, 0x10);
        AgentRig.WriteKeys(_dir.File("acme-request-key.json"), 0x60, 0x50);
        string sd = Hex.Of(AgentRig.Ssd);
        File.WriteAllLines(_dir.File("data.apdu"), ["sd " + sd, .. DemoScripts.TenantStoresData(AgentRig.Ssd, "x").Steps.Select(s => Hex.Of(s.Apdu))]);
        File.WriteAllText(_dir.File("iin.apdu"), $"sd {sd}\n80CA004200 expect XXXX   # plain GET DATA, any answer\n");
    }

    public void Dispose()
    {
        _rig.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Out_WritesMacdRequestsThatAProvisioningBundleRuns_CountersReservedInOrder()
    {
        CliRun unknown = Out("data.apdu", "a1.e1", "--mode", "batch");
        Assert.Equal(ExitCodes.Usage, unknown.ExitCode);
        Assert.Contains("not known yet", unknown.Error);
        Assert.False(File.Exists(_dir.File("a1.e1")));

        int before = _rig.SequenceCounter;
        CliRun first = Out("data.apdu", "a1.e1", "--mode", "batch", "--counter", (before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Output + first.Error);
        Assert.Contains($"batch request, 4 APDUs pre-computed for SD sequence counter {before + 1}", first.Output);
        CliRun second = Out("data.apdu", "a2.e1", "--mode", "batch");
        Assert.True(second.ExitCode == ExitCodes.Ok, second.Output + second.Error);
        Assert.Contains($"sequence counter {before + 2}", second.Output);
        CliRun plain = Out("iin.apdu", "p.e1", "--mode", "plain");
        Assert.True(plain.ExitCode == ExitCodes.Ok, plain.Output + plain.Error);

        ScriptRequest a1 = Decode("a1.e1"), a2 = Decode("a2.e1"), p = Decode("p.e1");
        Assert.Equal((ScriptMode.Batch, "acme", 4), (a1.Mode, a1.TenantId, a1.Steps.Length));
        Assert.NotNull(a1.Authenticator);
        Assert.True(a1.Counter < a2.Counter && a2.Counter < p.Counter);
        Assert.Equal("81CA004200", Hex.Of(p.Steps[0].Command)); // the tenant's channel (1) is in the CLA
        Assert.Equal(before, _rig.SequenceCounter); // nothing was sent

        CliRun again = Out("data.apdu", "a1.e1", "--mode", "batch");
        Assert.Equal(ExitCodes.Usage, again.ExitCode);
        Assert.Contains("already exists", again.Error);
        Assert.Equal(ExitCodes.Usage, Out("data.apdu", "x.e1").ExitCode); // interactive cannot be written

        Assert.Equal(ExitCodes.Ok, CliRun.Of("provision", "issuer-key", "--private", _dir.File("issuer.pem"), "--public", _dir.File("issuer.pub.pem")).ExitCode);
        CliRun pack = CliRun.Of("provision", "pack", "--out", _dir.File("bundle.json"), "--bundle-id", "site1", "--device", AgentRig.Device,
            "--issuer-private", _dir.File("issuer.pem"), "--request", _dir.File("a1.e1"), "--request", _dir.File("a2.e1"), "--request", _dir.File("p.e1"));
        Assert.True(pack.ExitCode == ExitCodes.Ok, pack.Output + pack.Error);
        CliRun run = CliRun.Of("provision", "--device", AgentRig.Device, "--bundle", _dir.File("bundle.json"), "--broker", _rig.BrokerUrl,
            "--issuer-key", _dir.File("issuer.pub.pem"), "--journal", _dir.File("j.jsonl"), "--receipt", _dir.File("receipt.json"), "--timeout", "30");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Output + run.Error);
        Assert.Contains("provisioning complete.", run.Output);
        Assert.Equal(before + 2, _rig.SequenceCounter); // each pre-computed session ran once, in order

        // The live backend goes on from the reserved counters.
        CliRun live = CliRun.Of("backend", "run", _dir.File("data.apdu"), "--broker", _rig.BrokerUrl, "--device", AgentRig.Device, "--tenant", "acme",
            "--channel", "1", "--keys", _dir.File("acme-keys.json"), "--request-key", _dir.File("acme-request-key.json"), "--state", _dir.File("state.json"), "--mode", "batch", "--timeout", "20");
        Assert.True(live.ExitCode == ExitCodes.Ok, live.Output + live.Error);
    }

    [Fact]
    public void PlainMode_Live_ChecksStatusWordsAndSaysTheAnswersAreNotAuthenticated()
    {
        CliRun run = CliRun.Of("backend", "run", _dir.File("iin.apdu"), "--broker", _rig.BrokerUrl, "--device", AgentRig.Device, "--tenant", "acme",
            "--channel", "1", "--keys", _dir.File("acme-keys.json"), "--request-key", _dir.File("acme-request-key.json"), "--state", _dir.File("state.json"), "--mode", "plain", "--timeout", "20");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Output + run.Error);
        Assert.Contains("OK: plain run, 1 steps, every status word as expected (no SCP03: the answers are not authenticated).", run.Output);
    }

    [Fact]
    public void Out_Json_MatchesDocs()
    {
        CliRun run = Out("data.apdu", "a1.e1", "--mode", "batch", "--counter", "7", "--json");

        System.Text.Json.JsonElement data = NanoAgent.Host.Tests.Cli.JsonDoc.AssertMatches("backend run", run.Output, 0);
        Assert.Equal(_dir.File("a1.e1"), data.GetProperty("written").GetProperty("file").GetString());
        Assert.Equal(7, data.GetProperty("sequenceCounter").GetInt32());
        Assert.Equal(new FileInfo(_dir.File("a1.e1")).Length, data.GetProperty("written").GetProperty("bytes").GetInt64());
        Assert.Equal(0, data.GetProperty("steps").GetArrayLength());
    }

    private CliRun Out(string script, string output, params string[] more) => CliRun.Of(
    [
        "backend", "run", _dir.File(script), "--device", AgentRig.Device, "--tenant", "acme", "--channel", "1", "--keys", _dir.File("acme-keys.json"),
        "--request-key", _dir.File("acme-request-key.json"), "--state", _dir.File("state.json"), "--out", _dir.File(output), .. more,
    ]);

    private ScriptRequest Decode(string file) => ScriptMessageCodec.DecodeScriptRequest(File.ReadAllBytes(_dir.File(file)));
}
