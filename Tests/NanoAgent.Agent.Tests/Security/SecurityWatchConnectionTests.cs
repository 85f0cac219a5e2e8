using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Security;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Agent.Tests.Security;

/// <summary>The broker's refusals of the agent's login, publishes and subscriptions each leave one security line.</summary>
public class SecurityWatchConnectionTests
{
    private readonly LineSink _sink = new();

    private SecurityWatchConnection Over(IMqttConnection inner) => new(inner, new SecurityLog(_sink, new VirtualClock(), "dev1", 10));

    [Fact]
    public void RefusedPublishSubscribeAndLogin_OneLineEach_ExceptionGoesOn()
    {
        using var watched = Over(new Refusing());

        Assert.Throws<MqttConnectionRefusedException>(() => watched.Connect(new MqttConnectOptions { ClientId = "dev1", UserName = "dev1" }));
        Assert.Throws<MqttConnectionRefusedException>(() => watched.Publish("nanoagent/dev1/acme/script/res", [1], MqttQos.AtLeastOnce, false));
        Assert.Throws<MqttConnectionRefusedException>(() => watched.Subscribe(["nanoagent/dev1/acme/script/req", "nanoagent/dev1/beta/script/req"], [MqttQos.AtLeastOnce, MqttQos.AtLeastOnce]));

        Assert.Equal(
        [
            "security device=dev1 tenant=- event=broker refused=\"connect as 'dev1'\" why=\"not authorized\"",
            "security device=dev1 tenant=acme event=broker refused=\"publish nanoagent/dev1/acme/script/res\" why=\"not authorized\"",
            "security device=dev1 tenant=acme event=broker refused=\"subscribe nanoagent/dev1/acme/script/req (+1)\" why=\"not authorized\"",
        ], _sink.Lines);
    }

    [Fact]
    public void BrokerDown_IsNoSecurityEvent_AndMessagesPassThrough()
    {
        var broker = new InMemoryBroker();
        FakeMqttConnection inner = broker.NewClient();
        using var watched = Over(inner);
        var received = new List<string>();
        watched.MessageReceived += (_, m) => received.Add(m.Topic);
        watched.Connect(new MqttConnectOptions { ClientId = "dev1" });
        watched.Subscribe(["t/#"], [MqttQos.AtLeastOnce]);
        watched.Publish("t/x", [1], MqttQos.AtLeastOnce, false);
        broker.GoDown();
        Assert.Throws<MqttConnectionException>(() => watched.Connect(new MqttConnectOptions { ClientId = "dev1" }));

        Assert.Equal(["t/x"], received);
        Assert.Empty(_sink.Lines);
    }

    private sealed class Refusing : IMqttConnection
    {
        public event MqttMessageHandler? MessageReceived { add { } remove { } }

        public event EventHandler? ConnectionClosed { add { } remove { } }

        public bool IsConnected => true;

        public void Connect(MqttConnectOptions options) => throw new MqttConnectionRefusedException("not authorized");

        public void Subscribe(string[] topics, MqttQos[] qos) => throw new MqttConnectionRefusedException("not authorized");

        public void Publish(string topic, byte[] payload, MqttQos qos, bool retain) => throw new MqttConnectionRefusedException("not authorized");

        public void Disconnect()
        {
        }

        public void Dispose()
        {
        }
    }
}
