using System.Text.Json;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Common;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Tests.Cli;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>
/// <c>nanoagent backend attest</c> in-process against an embedded broker and an agent's <see cref="GatedAttestations"/> on the
/// virtual SE05x (docs/se05x.md "Attested reads"), each exit code of docs/exit-codes.md and the <c>--json</c> report of
/// docs/json.md (the process test runs it as a program: <see cref="Se05xAgentProcessTests"/>).
/// </summary>
public sealed class BackendAttestCommandTests : IDisposable
{
    private const string Device = "meter-1";
    private readonly TempDir _dir = new();
    private readonly EmbeddedBroker _broker = new();
    private readonly MqttNetConnection _agent;

    public BackendAttestCommandTests()
    {
        _broker.Start();
        var card = new Se05xTenantCard();
        _agent = new MqttNetConnection(_broker.Address);
        _agent.Connect(new MqttConnectOptions { ClientId = BrokerClientIds.Agent(null, Device), CleanSession = true });
        var attestations = new GatedAttestations(_agent, Device, card.Applet);
        attestations.AddSensor("room", "a", Se05xTenantCard.AuthA, 0x44, [0x01], 2);
        attestations.Start();
        File.WriteAllText(_dir.File("a.pub"), Hex.Of(card.AttestationPublicKey(Se05xTenantCard.AuthA)) + "\n");
        File.WriteAllText(_dir.File("b.pub"), Hex.Of(card.AttestationPublicKey(Se05xTenantCard.AuthB)) + "\n");
    }

    public void Dispose()
    {
        _agent.Dispose();
        _broker.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Attest_Json_MatchesDocs()
    {
        CliRun run = Attest(_broker.Address.Port, "a", "room", _dir.File("a.pub"), "--json");

        JsonElement data = JsonDoc.AssertMatches("backend attest", run.Output, ExitCodes.Ok);
        Assert.True(data.GetProperty("attested").GetBoolean());
        Assert.Equal("0866", data.GetProperty("value").GetString()); // 21.50 °C in hundredths: the virtual sensor's default
        Assert.Equal(32, data.GetProperty("freshness").GetString()!.Length);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("reason").ValueKind);
    }

    [Fact]
    public void Attest_AnotherTenantsKey_Rejected_Exit1()
    {
        CliRun plain = Attest(_broker.Address.Port, "a", "room", _dir.File("b.pub"));
        CliRun json = Attest(_broker.Address.Port, "a", "room", _dir.File("b.pub"), "--json");

        Assert.True(plain.ExitCode == ExitCodes.Failed, plain.Output + plain.Error);
        Assert.StartsWith("REJECTED room: ", plain.Output);
        JsonElement data = JsonDoc.AssertMatches("backend attest", json.Output, ExitCodes.Failed);
        Assert.False(data.GetProperty("attested").GetBoolean());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("value").ValueKind);
        Assert.False(string.IsNullOrEmpty(data.GetProperty("reason").GetString()));
    }

    [Fact]
    public void Attest_BrokerRefusesTheLogin_Exit1()
    {
        using var guarded = new EmbeddedBroker(0, "acme", "right");
        guarded.Start();

        CliRun run = Attest(guarded.Address.Port, "a", "room", _dir.File("a.pub"), "--user", "acme", "--password", "wrong");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("the broker refused the login", run.Error);
    }

    [Fact]
    public void Attest_BadInput_Exit2()
    {
        File.WriteAllText(_dir.File("short.pub"), "0411\n");

        CliRun sensor = Attest(_broker.Address.Port, "a", "no/such", _dir.File("a.pub"));
        CliRun missing = Attest(_broker.Address.Port, "a", "room", _dir.File("missing.pub"));
        CliRun notAPoint = Attest(_broker.Address.Port, "a", "room", _dir.File("short.pub"), "--json");

        Assert.Equal(ExitCodes.Usage, sensor.ExitCode);
        Assert.Contains("--sensor 'no/such' is not an identifier", sensor.Error);
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("missing.pub", missing.Error);
        Assert.Contains("not an uncompressed P-256 point", JsonDoc.AssertMatches("backend attest", notAPoint.Output, ExitCodes.Usage, "error").GetProperty("error").GetString());
    }

    [Fact]
    public void Attest_BrokerDownOrNoAnswer_Exit3()
    {
        CliRun down = Attest(EmbeddedBroker.FreeLoopbackPort(), "a", "room", _dir.File("a.pub"));
        CliRun silent = CliRun.Of("backend", "attest", "--broker", $"mqtt://127.0.0.1:{_broker.Address.Port}", "--device", "no-such-meter", "--tenant", "a",
            "--sensor", "room", "--public-key", _dir.File("a.pub"), "--timeout", "1");

        Assert.Equal(ExitCodes.NoDevice, down.ExitCode);
        Assert.Contains("cannot reach the broker", down.Error);
        Assert.Equal(ExitCodes.NoDevice, silent.ExitCode);
        Assert.Contains("no answer from the agent within 1 s", silent.Error);
    }

    private static CliRun Attest(int port, string tenant, string sensor, string publicKey, params string[] more) => CliRun.Of(
        ["backend", "attest", "--broker", $"mqtt://127.0.0.1:{port}", "--device", Device, "--tenant", tenant, "--sensor", sensor, "--public-key", publicKey, "--timeout", "10", .. more]);
}
