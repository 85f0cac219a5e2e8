using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Tenants;
using NanoAgent.Host.Common;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Mqtt.Tests.Brokers;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>
/// What a broker refusal looks like from <c>backend run</c> (issue 19: a login without rights got "no answer from the
/// agent… is the device online?" and exit 3): against mosquitto with the files <c>nanoagent broker acl</c> writes and
/// against the embedded broker with the same users, beta's login on acme's topics ends with exit 1 and "not authorized";
/// and every client still works with a broker that speaks MQTT 3.1.1 only.
/// </summary>
public sealed class BrokerRefusalTests : IDisposable
{
    private static readonly string Users =
        $"dev1-agent agent dev1 {MosquittoPasswordHash.Create("agent-pw", 2)}\n"
        + $"acme-be tenant acme {MosquittoPasswordHash.Create("acme-pw", 2)}\n"
        + $"beta-be tenant beta {MosquittoPasswordHash.Create("beta-pw", 2)}\n";

    private readonly TempDir _dir = new();

    public BrokerRefusalTests()
    {
        AgentRig.WriteKeys(_dir.File("keys.json"), 0x01, 0x10);
        AgentRig.WriteKeys(_dir.File("request-key.json"), 0x60, 0x50);
        File.WriteAllText(_dir.File("t.apdu"), TenantBackendTests.Script());
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("mosquitto", "refused the publish to 'nanoagent/dev1/acme/script/req': not authorized")]
    [InlineData("embedded", "refused the subscription to 'nanoagent/dev1/acme/script/res': not authorized")]
    public void BackendRun_LoginWithoutRightsOnTheTenant_Exit1NotAuthorized(string kind, string expected)
    {
        BrokerAccessPolicy policy = BrokerAccessPolicy.Build(BrokerUserFile.Parse(Users), TenantRegistry.Parse("acme A0000001515350410A 1\nbeta A0000001515350410B 2\n"));
        using MosquittoFixture? mosquitto = kind == "mosquitto" ? AclMosquitto(policy) : null;
        using var embedded = kind == "embedded" ? new EmbeddedBroker { AccessPolicy = policy } : null;
        embedded?.Start();
        MqttBrokerAddress broker = mosquitto?.Address ?? embedded!.Address;
        var agentLogin = new MqttConnectOptions { ClientId = "dev1-agent", UserName = "dev1-agent", Password = "agent-pw", CleanSession = true };
        using var rig = new AgentRig(0, agentBroker: broker, agentLogin: (new MqttNetSettings(), agentLogin));
        int before = rig.Transport.Commands;

        CliRun run = Run(broker, "--user", "beta-be", "--password", "beta-pw", "--timeout", "5");

        Assert.True(run.ExitCode == ExitCodes.Failed, run.Output + run.Error);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("is the device online", run.Error);
        Assert.Equal(before, rig.Transport.Commands);

        CliRun own = Run(broker, "--user", "acme-be", "--password", "acme-pw", "--timeout", "20");
        Assert.True(own.ExitCode == ExitCodes.Ok, own.Output + own.Error); // the tenant's own login still runs its script
    }

    [Fact]
    public void BackendRun_BrokerSpeaksMqtt311Only_AgentAndBackendWork()
    {
        using var mosquitto = new MosquittoFixture();
        mosquitto.Start();
        using var broker = new Mqtt311OnlyProxy(mosquitto.Address);
        using var rig = new AgentRig(0, agentBroker: broker.Address);

        CliRun run = Run(broker.Address, "--timeout", "20");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Output + run.Error);
        Assert.Contains("OK: interactive run, 5 steps", run.Output);
        Assert.True(broker.RefusedMqtt5 >= 2, $"{broker.RefusedMqtt5} MQTT 5 CONNECTs refused: the agent and the backend each ask once");
    }

    private static MosquittoFixture AclMosquitto(BrokerAccessPolicy policy)
    {
        var broker = new MosquittoFixture((dir, port) =>
        {
            (string passwords, string acl, string config) = MosquittoAccessFiles.Write(policy, dir, $"{port} 127.0.0.1");
            MosquittoFixture.MakeReadableByBroker(passwords);
            MosquittoFixture.MakeReadableByBroker(acl);
            return ["persistence false", .. File.ReadAllLines(config)];
        });
        broker.Start();
        return broker;
    }

    private CliRun Run(MqttBrokerAddress broker, params string[] login) => CliRun.Of(
    [
        "backend", "run", _dir.File("t.apdu"), "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--device", AgentRig.Device, "--tenant", AgentRig.Tenant,
        "--keys", _dir.File("keys.json"), "--request-key", _dir.File("request-key.json"), "--state", _dir.File("state.json"), .. login,
    ]);
}
