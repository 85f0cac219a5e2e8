using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Mqtt.Tests.Brokers;

namespace NanoAgent.Host.Mqtt.Tests.Access;

/// <summary>
/// The broker layer of issue 12, on both brokers: the embedded one enforcing the policy, and mosquitto with the password
/// and ACL files 'nanoagent broker acl' writes. A message that must not arrive is shown absent by a marker published
/// after it on an allowed topic arriving first (MQTT 3.1.1 §4.6 ordering), never by waiting.
/// </summary>
public class BrokerAccessTests
{
    public static TheoryData<BrokerKind> Kinds => AccessBrokers.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Connect_WrongPassword_RefusedBadUserNameOrPassword(BrokerKind kind)
    {
        using ITestBroker broker = AccessBrokers.Start(kind, AccessSetup.Policy());
        using var connection = new MqttNetConnection(broker.Address);
        var e = Assert.Throws<MqttConnectionRefusedException>(() =>
            connection.Connect(new MqttConnectOptions { ClientId = "x", UserName = "acme-be", Password = "beta-pw", CleanSession = true }));
        Assert.Contains("refused", e.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Connect_Anonymous_Refused(BrokerKind kind)
    {
        using ITestBroker broker = AccessBrokers.Start(kind, AccessSetup.Policy());
        using var connection = new MqttNetConnection(broker.Address);
        var e = Assert.Throws<MqttConnectionRefusedException>(() => connection.Connect(new MqttConnectOptions { ClientId = "x", CleanSession = true }));
        Assert.Contains("refused", e.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Publish_TenantOnOtherTenantsRequestTopic_DroppedOwnDelivered(BrokerKind kind)
    {
        using ITestBroker broker = AccessBrokers.Start(kind, AccessSetup.Policy());
        using MqttNetConnection agent = Connected(broker, "dev1-agent");
        using MqttNetConnection acme = Connected(broker, "acme-be");
        var agentSink = new MessageSink(agent);
        agent.Subscribe(["nanoagent/dev1/+/script/req"], [MqttQos.AtLeastOnce]);

        PublishRefused(acme, "nanoagent/dev1/beta/script/req");
        PublishRefused(acme, "nanoagent/dev1/owner/script/req");
        acme.Publish("nanoagent/dev1/acme/script/req", Encoding.ASCII.GetBytes("own"), MqttQos.AtLeastOnce, retain: false);

        MqttMessage first = agentSink.Next("acme's request on its own topic");
        Assert.Equal("nanoagent/dev1/acme/script/req", first.Topic);
        Assert.Equal("own", Encoding.ASCII.GetString(first.Payload));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Publish_TenantForgesAnswerOnItsOwnResultTopic_Dropped(BrokerKind kind)
    {
        using ITestBroker broker = AccessBrokers.Start(kind, AccessSetup.Policy());
        using MqttNetConnection agent = Connected(broker, "dev1-agent");
        using MqttNetConnection beta = Connected(broker, "beta-be");
        using MqttNetConnection acme = Connected(broker, "acme-be");
        var betaSink = new MessageSink(beta);
        beta.Subscribe(["nanoagent/dev1/beta/script/res"], [MqttQos.AtLeastOnce]);

        PublishRefused(acme, "nanoagent/dev1/beta/script/res");
        agent.Publish("nanoagent/dev1/beta/script/res", Encoding.ASCII.GetBytes("agent"), MqttQos.AtLeastOnce, retain: false);

        Assert.Equal("agent", Encoding.ASCII.GetString(betaSink.Next("the agent's answer").Payload));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Subscribe_TenantToOtherTenantsResults_RefusedOrReceivesNothing(BrokerKind kind)
    {
        using ITestBroker broker = AccessBrokers.Start(kind, AccessSetup.Policy());
        using MqttNetConnection agent = Connected(broker, "dev1-agent");
        using MqttNetConnection acme = Connected(broker, "acme-be");
        var acmeSink = new MessageSink(acme);
        bool refused = TrySubscribe(acme, "nanoagent/dev1/beta/script/res") | TrySubscribe(acme, "nanoagent/dev1/+/script/progress")
            | TrySubscribe(acme, "nanoagent/#");
        acme.Subscribe(["nanoagent/dev1/acme/script/res"], [MqttQos.AtLeastOnce]);

        agent.Publish("nanoagent/dev1/beta/script/res", Encoding.ASCII.GetBytes("beta's secret"), MqttQos.AtLeastOnce, retain: false);
        agent.Publish("nanoagent/dev1/beta/script/progress", Encoding.ASCII.GetBytes("beta's progress"), MqttQos.AtLeastOnce, retain: false);
        agent.Publish("nanoagent/dev1/acme/script/res", Encoding.ASCII.GetBytes("acme's own"), MqttQos.AtLeastOnce, retain: false);

        MqttMessage first = acmeSink.Next("acme's own result");
        Assert.Equal("nanoagent/dev1/acme/script/res", first.Topic);
        Assert.Equal("acme's own", Encoding.ASCII.GetString(first.Payload));
        if (kind == BrokerKind.Embedded)
        {
            Assert.True(refused, "the embedded broker refuses an uncovered subscription in its SUBACK");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Will_AgentDrops_TenantReadsOfflineStatus(BrokerKind kind)
    {
        using ITestBroker broker = AccessBrokers.Start(kind, AccessSetup.Policy());
        using MqttNetConnection acme = Connected(broker, "acme-be");
        var sink = new MessageSink(acme);
        acme.Subscribe(["nanoagent/dev1/status"], [MqttQos.AtLeastOnce]);
        var agent = new MqttNetConnection(broker.Address);
        agent.Connect(new MqttConnectOptions
        {
            ClientId = "dev1-agent", UserName = "dev1-agent", Password = AccessSetup.Passwords["dev1-agent"], CleanSession = true,
            WillTopic = "nanoagent/dev1/status", WillPayload = Encoding.ASCII.GetBytes("offline"), WillRetain = true,
        });

        agent.Abort();

        Assert.Equal("offline", Encoding.ASCII.GetString(sink.Next("the agent's will").Payload));
    }

    [Fact]
    public void Embedded_Refusals_LoggedWithUserAndTopicNotPassword()
    {
        using var broker = new EmbeddedTestBroker(AccessSetup.Policy());
        broker.Start();
        using MqttNetConnection acme = Connected(broker, "acme-be");
        using MqttNetConnection agent = Connected(broker, "dev1-agent");
        var agentSink = new MessageSink(agent);
        agent.Subscribe(["nanoagent/dev1/+/script/req"], [MqttQos.AtLeastOnce]);
        PublishRefused(acme, "nanoagent/dev1/beta/script/req");
        acme.Publish("nanoagent/dev1/acme/script/req", [2], MqttQos.AtLeastOnce, retain: false);
        agentSink.Next("marker");
        using var wrong = new MqttNetConnection(broker.Address);
        Assert.Throws<MqttConnectionRefusedException>(() => wrong.Connect(new MqttConnectOptions { ClientId = "w", UserName = "acme-be", Password = "guess-pw", CleanSession = true }));

        string log;
        lock (broker.Refusals)
        {
            log = string.Join('\n', broker.Refusals);
        }

        Assert.Contains("dropped publish of user 'acme-be' (client 'acme-be') to 'nanoagent/dev1/beta/script/req'", log);
        Assert.Contains("refused connection of client 'w' as user 'acme-be'", log);
        Assert.DoesNotContain("guess-pw", log);
    }

    // MQTT 5: both brokers answer a publish outside the write rules with PUBACK 0x87 (mosquitto 2.0.11 and the embedded one).
    private static void PublishRefused(MqttNetConnection connection, string topic)
    {
        var e = Assert.Throws<MqttConnectionRefusedException>(() => connection.Publish(topic, Encoding.ASCII.GetBytes("forged"), MqttQos.AtLeastOnce, retain: false));
        Assert.Contains("not authorized", e.Message);
    }

    private static bool TrySubscribe(MqttNetConnection connection, string filter)
    {
        try
        {
            connection.Subscribe([filter], [MqttQos.AtLeastOnce]);
            return false;
        }
        catch (MqttConnectionException e)
        {
            Assert.Contains("refused the subscription", e.Message);
            return true;
        }
    }

    private static MqttNetConnection Connected(ITestBroker broker, string user)
    {
        var connection = new MqttNetConnection(broker.Address);
        connection.Connect(new MqttConnectOptions { ClientId = user, UserName = user, Password = AccessSetup.Passwords[user], CleanSession = true });
        return connection;
    }
}
