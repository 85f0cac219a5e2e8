using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Host.Mqtt.Tests.Brokers;

/// <summary>
/// <see cref="MqttNetConnection"/> speaks MQTT 5 and falls back to 3.1.1 when the broker refuses 5, whichever way it says so
/// (<see cref="Mqtt311OnlyProxy"/> in front of real mosquitto); with a 5 broker it stays on 5.
/// </summary>
public class Mqtt311BrokerTests
{
    public static TheoryData<Mqtt311OnlyProxy.Answer> Answers => new() { Mqtt311OnlyProxy.Answer.Mqtt311ConnAck, Mqtt311OnlyProxy.Answer.Mqtt5ConnAck };

    [Theory]
    [MemberData(nameof(Answers))]
    public void Connect_BrokerRefusesMqtt5_SpeaksMqtt311_PublishSubscribeWork(Mqtt311OnlyProxy.Answer answer)
    {
        using var mosquitto = new MosquittoFixture();
        mosquitto.Start();
        using var broker = new Mqtt311OnlyProxy(mosquitto.Address, answer);
        using var subscriber = new MqttNetConnection(broker.Address);
        using var publisher = new MqttNetConnection(broker.Address);
        subscriber.Connect(new MqttConnectOptions { ClientId = "sub", CleanSession = true });
        publisher.Connect(new MqttConnectOptions { ClientId = "pub", CleanSession = true });
        var sink = new MessageSink(subscriber);

        subscriber.Subscribe(["lab/t"], [MqttQos.AtLeastOnce]);
        publisher.Publish("lab/t", Encoding.ASCII.GetBytes("over 3.1.1"), MqttQos.AtLeastOnce, retain: false);

        Assert.Equal("over 3.1.1", Encoding.ASCII.GetString(sink.Next("a message through the 3.1.1-only broker").Payload));
        Assert.Equal(("3.1.1", "3.1.1"), (subscriber.ProtocolVersion, publisher.ProtocolVersion));
        Assert.Equal(2, broker.RefusedMqtt5);
    }

    [Fact]
    public void Reconnect_AfterFallingBack_StaysOnMqtt311AndResubscribes()
    {
        using var mosquitto = new MosquittoFixture();
        mosquitto.Start();
        using var broker = new Mqtt311OnlyProxy(mosquitto.Address);
        var options = new ReconnectOptions { MinDelayMilliseconds = 100, MaxDelayMilliseconds = 500 };
        using var agent = new ReconnectingMqttConnection(new MqttNetConnection(broker.Address), SystemClock.Instance, options, ownsInner: true);
        using var back = new ManualResetEventSlim();
        agent.Reconnected += (_, _) => back.Set();
        var sink = new MessageSink(agent);
        agent.Connect(new MqttConnectOptions { ClientId = "agent-311", CleanSession = false });
        agent.Subscribe(["lab/req"], [MqttQos.AtLeastOnce]);
        using var tenant = new MqttNetConnection(broker.Address);
        tenant.Connect(new MqttConnectOptions { ClientId = "tenant-311", CleanSession = true });

        mosquitto.Stop();
        mosquitto.Start(); // no persistence: the session is gone, and the connection subscribes again itself
        Assert.True(back.Wait(MessageSink.Wait), "the agent did not reconnect");
        tenant.Connect(new MqttConnectOptions { ClientId = "tenant-311", CleanSession = true });
        tenant.Publish("lab/req", Encoding.ASCII.GetBytes("after the restart"), MqttQos.AtLeastOnce, retain: false);

        Assert.Equal("after the restart", Encoding.ASCII.GetString(sink.Next("a request after the reconnect").Payload));
        Assert.Equal(2, broker.RefusedMqtt5); // each connection asked for 5 once, at its first connect; reconnects speak 3.1.1 at once
    }

    [Fact]
    public void Connect_Mqtt5Broker_StaysOnMqtt5()
    {
        using var mosquitto = new MosquittoFixture();
        mosquitto.Start();
        using var client = new MqttNetConnection(mosquitto.Address);
        client.Connect(new MqttConnectOptions { ClientId = "five", CleanSession = true });
        Assert.Equal("5.0", client.ProtocolVersion);
    }
}
