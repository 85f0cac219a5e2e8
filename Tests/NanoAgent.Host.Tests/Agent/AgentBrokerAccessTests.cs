using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// The agent's embedded broker enforcing the broker users file (<c>agent --embedded-broker --broker-users</c>): the
/// agent logs in as its device's user, acme's backend as acme, and beta's backend cannot put a request on acme's topic.
/// </summary>
public sealed class AgentBrokerAccessTests
{
    private static readonly string Users =
        $"dev1-agent agent dev1 {MosquittoPasswordHash.Create("agent-pw", 2)}\n"
        + $"acme-be tenant acme {MosquittoPasswordHash.Create("acme-pw", 2)}\n"
        + $"beta-be tenant beta {MosquittoPasswordHash.Create("beta-pw", 2)}\n";

    [Fact]
    public void EmbeddedBrokerWithUsers_TenantRunsItsScript_OtherTenantsForgeryDroppedAndLogged()
    {
        using var rig = new AgentRig();
        BrokerAccessPolicy policy = BrokerAccessPolicy.Build(BrokerUserFile.Parse(Users), rig.Tenants);
        AgentHostOptions options = rig.Options(null, embeddedPort: 0);
        AgentHost host = rig.Start(new AgentHostOptions
        {
            Target = options.Target, Tenants = options.Tenants, StorePath = options.StorePath, EmbeddedBrokerPort = 0,
            PlatformKeyFile = options.PlatformKeyFile, DisablePlatformScp = true, TransportDecorator = options.TransportDecorator,
            KeyStatusIntervalSeconds = 0, BrokerAccess = policy, UserName = "dev1-agent", Password = "agent-pw",
        });
        MqttBrokerAddress broker = host.BrokerAddress;

        using (var beta = new MqttNetConnection(broker))
        {
            beta.Connect(new MqttConnectOptions { ClientId = "beta-be", UserName = "beta-be", Password = "beta-pw", CleanSession = true });
            var refused = Assert.Throws<MqttConnectionRefusedException>(() =>
                beta.Publish("nanoagent/dev1/acme/script/req", AgentRig.Script("acme", 1, "forged", AgentRig.AcmeSd, AgentRig.Iin(1)), MqttQos.AtLeastOnce, false));
            Assert.Contains("not authorized", refused.Message);
        }

        rig.Log.WaitFor("broker: dropped publish of user 'beta-be' (client 'beta-be') to 'nanoagent/dev1/acme/script/req'");
        AgentRig.Client acme = rig.Connect(broker, "acme", "acme-be", "acme-pw");
        acme.Send(AgentRig.Script("acme", 1, "own", AgentRig.AcmeSd, AgentRig.Iin(1)));

        ScriptResult result = acme.Next();
        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        Assert.Equal("own", System.Text.Encoding.ASCII.GetString(result.ScriptId));
        Assert.Equal(4, rig.Se.Count); // MANAGE CHANNEL open, SELECT, 1 step, close: the forged script never ran (counter 1 was still free)
    }

    [Fact]
    public void EmbeddedBrokerWithUsers_AnonymousBackendRefused()
    {
        using var rig = new AgentRig();
        BrokerAccessPolicy policy = BrokerAccessPolicy.Build(BrokerUserFile.Parse(Users), rig.Tenants);
        AgentHostOptions options = rig.Options(null, embeddedPort: 0);
        AgentHost host = rig.Start(new AgentHostOptions
        {
            Target = options.Target, Tenants = options.Tenants, StorePath = options.StorePath, EmbeddedBrokerPort = 0,
            PlatformKeyFile = options.PlatformKeyFile, DisablePlatformScp = true, KeyStatusIntervalSeconds = 0,
            BrokerAccess = policy, UserName = "dev1-agent", Password = "agent-pw",
        });

        using var anonymous = new MqttNetConnection(host.BrokerAddress);
        var e = Assert.Throws<MqttConnectionRefusedException>(() => anonymous.Connect(new MqttConnectOptions { ClientId = "anon", CleanSession = true }));
        Assert.Contains("bad user name or password", e.Message);
    }
}
