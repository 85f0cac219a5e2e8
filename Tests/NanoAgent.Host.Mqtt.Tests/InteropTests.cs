using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Mqtt.Tests.Brokers;

namespace NanoAgent.Host.Mqtt.Tests;

/// <summary>MqttNetConnection and ReconnectingMqttConnection against real brokers: mosquitto and the embedded one.</summary>
public class InteropTests
{
    public static TheoryData<BrokerKind> Kinds => TestBrokers.Kinds;

    [Theory]
    [InlineData(BrokerKind.Mosquitto, MqttQos.AtMostOnce)]
    [InlineData(BrokerKind.Mosquitto, MqttQos.AtLeastOnce)]
    [InlineData(BrokerKind.Embedded, MqttQos.AtMostOnce)]
    [InlineData(BrokerKind.Embedded, MqttQos.AtLeastOnce)]
    public void PublishSubscribe_RoundTrip_DeliversTopicPayloadAndQos(BrokerKind kind, MqttQos qos)
    {
        using ITestBroker broker = TestBrokers.Start(kind);
        using var subscriber = Connected(broker, "sub");
        using var publisher = Connected(broker, "pub");
        var sink = new MessageSink(subscriber);
        subscriber.Subscribe(["nanoagent/+/data"], [qos]);

        byte[] payload = [0x00, 0x01, 0xFE, 0xFF, 0x41];
        publisher.Publish("nanoagent/dev1/data", payload, qos, retain: false);

        MqttMessage message = sink.Next("published message");
        Assert.Equal("nanoagent/dev1/data", message.Topic);
        Assert.Equal(payload, message.Payload);
        Assert.Equal(qos, message.Qos);
        Assert.False(message.Retained);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Retained_LateSubscriber_GetsLastStatusFlaggedRetained(BrokerKind kind)
    {
        using ITestBroker broker = TestBrokers.Start(kind);
        using (var publisher = Connected(broker, "pub"))
        {
            publisher.Publish("nanoagent/dev1/status", Encoding.UTF8.GetBytes("booting"), MqttQos.AtLeastOnce, retain: true);
            publisher.Publish("nanoagent/dev1/status", Encoding.UTF8.GetBytes("online"), MqttQos.AtLeastOnce, retain: true);
            publisher.Disconnect();
        }

        using var late = Connected(broker, "late");
        var sink = new MessageSink(late);
        late.Subscribe(["nanoagent/+/status"], [MqttQos.AtLeastOnce]);

        MqttMessage message = sink.Next("retained status");
        Assert.Equal("online", Encoding.UTF8.GetString(message.Payload));
        Assert.True(message.Retained);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Will_ClientDropsWithoutDisconnect_BrokerPublishesWill(BrokerKind kind)
    {
        using ITestBroker broker = TestBrokers.Start(kind);
        using var watcher = Connected(broker, "watcher");
        var sink = new MessageSink(watcher);
        watcher.Subscribe(["nanoagent/dev1/status"], [MqttQos.AtLeastOnce]);

        var device = new MqttNetConnection(broker.Address);
        device.Connect(new MqttConnectOptions
        {
            ClientId = "dev1",
            CleanSession = true,
            WillTopic = "nanoagent/dev1/status",
            WillPayload = Encoding.UTF8.GetBytes("offline"),
            WillRetain = true,
        });
        device.Abort();

        MqttMessage will = sink.Next("last will");
        Assert.Equal("offline", Encoding.UTF8.GetString(will.Payload));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Will_CleanDisconnect_NoWill(BrokerKind kind)
    {
        using ITestBroker broker = TestBrokers.Start(kind);
        using var watcher = Connected(broker, "watcher");
        var sink = new MessageSink(watcher);
        watcher.Subscribe(["nanoagent/dev1/#"], [MqttQos.AtLeastOnce]);

        using (var device = new MqttNetConnection(broker.Address))
        {
            device.Connect(new MqttConnectOptions { ClientId = "dev1", CleanSession = true, WillTopic = "nanoagent/dev1/status", WillPayload = [0x30] });
            device.Disconnect();
        }

        // A marker published after the disconnect arrives first only if no will was sent in between.
        using var marker = Connected(broker, "marker");
        marker.Publish("nanoagent/dev1/marker", [0x01], MqttQos.AtLeastOnce, retain: false);
        Assert.Equal("nanoagent/dev1/marker", sink.Next("marker").Topic);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Credentials_Right_Accepted_Wrong_RefusedWithClearMessage(BrokerKind kind)
    {
        using ITestBroker broker = TestBrokers.Start(kind, "agent", "s3cret");

        using (var good = new MqttNetConnection(broker.Address))
        {
            good.Connect(new MqttConnectOptions { ClientId = "good", UserName = "agent", Password = "s3cret", CleanSession = true });
            Assert.True(good.IsConnected);
        }

        using var bad = new MqttNetConnection(broker.Address);
        var error = Assert.Throws<MqttConnectionRefusedException>(() =>
            bad.Connect(new MqttConnectOptions { ClientId = "bad", UserName = "agent", Password = "wrong", CleanSession = true }));
        Assert.Contains($"broker at {broker.Address.Endpoint} refused the connection", error.Message);
        Assert.Matches("bad user name or password|not authorized", error.Message); // MQTT 3.1.1 return code 4 or 5
        Assert.False(bad.IsConnected);
    }

    [Fact]
    public void Connect_NothingListening_SaysConnectionRefused()
    {
        int port = EmbeddedBroker.FreeLoopbackPort();
        using var connection = new MqttNetConnection(new MqttBrokerAddress("127.0.0.1", port, false));

        var error = Assert.Throws<MqttConnectionException>(() => connection.Connect(new MqttConnectOptions { ClientId = "x" }));

        Assert.Equal($"cannot reach broker at 127.0.0.1:{port}: connection refused", error.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Reconnecting_BrokerRestart_ResubscribesAndFlushesBufferedPublishes(BrokerKind kind)
    {
        using ITestBroker broker = TestBrokers.Start(kind);
        var options = new ReconnectOptions { MinDelayMilliseconds = 50, MaxDelayMilliseconds = 500, MaxBufferedPublishes = 8 };
        using var device = new ReconnectingMqttConnection(new MqttNetConnection(broker.Address), SystemClock.Instance, options, ownsInner: true);
        using var lost = new ManualResetEventSlim();
        using var back = new ManualResetEventSlim();
        device.ConnectionLost += (_, _) => lost.Set();
        device.Reconnected += (_, _) => back.Set();
        var deviceSink = new MessageSink(device);
        device.Connect(new MqttConnectOptions { ClientId = "dev1", CleanSession = true });
        device.Subscribe(["nanoagent/dev1/cmd"], [MqttQos.AtLeastOnce]);

        broker.Stop();
        Assert.True(lost.Wait(MessageSink.Wait), "the drop was not noticed");
        device.Publish("nanoagent/dev1/data", [1], MqttQos.AtLeastOnce, retain: false);
        device.Publish("nanoagent/dev1/data", [2], MqttQos.AtLeastOnce, retain: true);
        Assert.Equal(2, device.BufferedPublishes);

        broker.Start();
        Assert.True(back.Wait(MessageSink.Wait), "no reconnect within the wait");
        Assert.Equal(0, device.BufferedPublishes);

        // The retained one was flushed after the restart: a new subscriber sees it.
        using var backend = Connected(broker, "backend");
        var backendSink = new MessageSink(backend);
        backend.Subscribe(["nanoagent/dev1/data"], [MqttQos.AtLeastOnce]);
        Assert.Equal(new byte[] { 2 }, backendSink.Next("flushed retained publish").Payload);

        // And the subscription was restored: a command reaches the device.
        backend.Publish("nanoagent/dev1/cmd", [0x42], MqttQos.AtLeastOnce, retain: false);
        Assert.Equal(new byte[] { 0x42 }, deviceSink.Next("command after reconnect").Payload);
        Assert.Equal(1, device.Reconnects);
    }

    private static MqttNetConnection Connected(ITestBroker broker, string clientId)
    {
        var connection = new MqttNetConnection(broker.Address);
        connection.Connect(new MqttConnectOptions { ClientId = clientId, CleanSession = true });
        return connection;
    }
}
