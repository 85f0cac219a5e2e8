using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Mqtt.Tests.Brokers;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// A tenant's broker login tries to take the agent's client id, over and over (issue 19: 44 takeovers in 20 s kept the device
/// off the broker). Against the embedded broker with a users file (refused, one log line each) and against mosquitto with
/// the files <c>nanoagent broker acl</c> writes (<c>use_username_as_clientid</c>: the attacker gets its own user name as
/// its id), the agent's connection never drops and it answers a tenant's requests during and after the burst.
/// </summary>
public sealed class ClientIdTakeoverTests
{
    private const int Attempts = 44;

    private static readonly string Users =
        $"dev1-agent agent dev1 {MosquittoPasswordHash.Create("agent-pw", 2)}\n"
        + $"acme-be tenant acme {MosquittoPasswordHash.Create("acme-pw", 2)}\n"
        + $"beta-be tenant beta {MosquittoPasswordHash.Create("beta-pw", 2)}\n";

    [Theory]
    [InlineData("embedded")]
    [InlineData("mosquitto")]
    public void Takeover_BurstWithTheAgentsClientIdFromATenantLogin_AgentNeverDropsAndKeepsAnswering(string kind)
    {
        using var rig = new AgentRig();
        BrokerAccessPolicy policy = BrokerAccessPolicy.Build(BrokerUserFile.Parse(Users), rig.Tenants);
        using MosquittoFixture? mosquitto = kind == "mosquitto" ? StartMosquitto(policy, useUserNameAsClientId: true) : null;
        AgentHost host = StartAgent(rig, policy, mosquitto);
        var agentLink = (ReconnectingMqttConnection)host.Mqtt;
        int drops = 0;
        agentLink.ConnectionLost += (_, _) => Interlocked.Increment(ref drops);
        AgentRig.Client acme = rig.Connect(host.BrokerAddress, "acme", "acme-be", "acme-pw");
        ulong counter = 0;
        var thieves = new List<MqttNetConnection>();
        try
        {
            for (int i = 0; i < Attempts; i++)
            {
                string stolen = i % 2 == 0 ? "dev1-agent" : "nanoagent-dev1"; // the agent's id, and the id agents used before logins
                var thief = new MqttNetConnection(host.BrokerAddress);
                thieves.Add(thief);
                try
                {
                    thief.Connect(new MqttConnectOptions { ClientId = stolen, UserName = "beta-be", Password = "beta-pw", CleanSession = true });
                    Assert.True(kind == "mosquitto", "the embedded broker let beta's login connect under the agent's client id");
                }
                catch (MqttConnectionRefusedException e)
                {
                    Assert.Equal("embedded", kind);
                    Assert.Contains("client identifier not valid", e.Message);
                }

                if (i % 11 == 10)
                {
                    AssertAnswers(acme, ++counter); // during the burst
                }
            }

            AssertAnswers(acme, ++counter); // and after it
        }
        finally
        {
            thieves.ForEach(t => t.Dispose());
        }

        Assert.True(agentLink.IsConnected);
        Assert.Equal(0, Volatile.Read(ref drops));
        if (mosquitto is null)
        {
            Assert.Equal(Attempts / 2, rig.Log.Lines.Count(l => l.Contains("broker: refused connection of client 'dev1-agent' as user 'beta-be': client id not allowed for this login", StringComparison.Ordinal)));
            Assert.Equal(Attempts / 2, rig.Log.Lines.Count(l => l.Contains("broker: refused connection of client 'nanoagent-dev1' as user 'beta-be': client id not allowed", StringComparison.Ordinal)));
        }
        else
        {
            Assert.Contains("as beta-be", mosquitto.Log); // mosquitto's own account of whom it let in: beta's login under beta's name
        }
    }

    [Fact]
    public void Takeover_MosquittoWithoutUseUserNameAsClientId_KnocksTheAgentOff()
    {
        // The control: the same files without the listener line that binds ids to logins let the attack through.
        using var rig = new AgentRig();
        BrokerAccessPolicy policy = BrokerAccessPolicy.Build(BrokerUserFile.Parse(Users), rig.Tenants);
        using MosquittoFixture mosquitto = StartMosquitto(policy, useUserNameAsClientId: false);
        AgentHost host = StartAgent(rig, policy, mosquitto);
        using var thief = new MqttNetConnection(host.BrokerAddress);

        thief.Connect(new MqttConnectOptions { ClientId = "dev1-agent", UserName = "beta-be", Password = "beta-pw", CleanSession = true });

        // mosquitto 2.0.11 closes the agent's connection without an MQTT 5 DISCONNECT ("closing old connection" in its log).
        rig.Log.WaitFor("agent: broker " + host.BrokerAddress + " lost, reconnecting");
    }

    private static void AssertAnswers(AgentRig.Client acme, ulong counter)
    {
        string id = "during-" + counter;
        acme.Send(AgentRig.Script("acme", counter, id, AgentRig.AcmeSd, AgentRig.Iin(1)));
        ScriptResult result = acme.Next();
        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        Assert.Equal(id, System.Text.Encoding.ASCII.GetString(result.ScriptId));
    }

    private static AgentHost StartAgent(AgentRig rig, BrokerAccessPolicy policy, MosquittoFixture? mosquitto)
    {
        AgentHostOptions options = rig.Options(mosquitto?.Address, embeddedPort: mosquitto is null ? 0 : null);
        return rig.Start(new AgentHostOptions
        {
            Target = options.Target, Tenants = options.Tenants, StorePath = options.StorePath, Broker = options.Broker,
            EmbeddedBrokerPort = options.EmbeddedBrokerPort, PlatformKeyFile = options.PlatformKeyFile, DisablePlatformScp = true,
            TransportDecorator = options.TransportDecorator, KeyStatusIntervalSeconds = 0, ReconnectMinDelayMilliseconds = 200,
            BrokerAccess = mosquitto is null ? policy : null, UserName = "dev1-agent", Password = "agent-pw",
        });
    }

    // mosquitto with the three files 'nanoagent broker acl' writes, the config used as written (or without its client id line).
    private static MosquittoFixture StartMosquitto(BrokerAccessPolicy policy, bool useUserNameAsClientId)
    {
        var broker = new MosquittoFixture((dir, port) =>
        {
            (string passwords, string acl, string config) = MosquittoAccessFiles.Write(policy, dir, $"{port} 127.0.0.1");
            MosquittoFixture.MakeReadableByBroker(passwords);
            MosquittoFixture.MakeReadableByBroker(acl);
            return ["persistence false", .. File.ReadAllLines(config).Where(l => useUserNameAsClientId || !l.StartsWith("use_username_as_clientid", StringComparison.Ordinal))];
        });
        try
        {
            broker.Start();
        }
        catch
        {
            broker.Dispose();
            throw;
        }

        return broker;
    }
}
