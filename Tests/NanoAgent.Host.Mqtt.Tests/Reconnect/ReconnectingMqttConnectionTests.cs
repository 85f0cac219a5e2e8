using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Host.Mqtt.Tests.Reconnect;

public class ReconnectingMqttConnectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeMqttConnection _inner = new();
    private readonly RecordingClock _clock = new();

    [Fact]
    public void Drop_BrokerDownThreeTimes_BacksOffExponentiallyThenRestores()
    {
        using var connection = Create(new ReconnectOptions { MinDelayMilliseconds = 100, MaxDelayMilliseconds = 1000 });
        using var back = Watch(connection);
        connection.Connect(new MqttConnectOptions { ClientId = "dev" });
        connection.Subscribe(["a/cmd", "a/cfg"], [MqttQos.AtLeastOnce, MqttQos.AtMostOnce]);
        _inner.Subscribed.Clear();

        _inner.FailNextConnects = 3;
        _inner.Drop();

        Assert.True(back.Wait(Wait));
        Assert.Equal([100, 200, 400, 800], _clock.Sleeps);
        Assert.Equal(5, _inner.ConnectAttempts); // first connect + 3 failures + success
        Assert.Equal(["a/cmd", "a/cfg"], _inner.Subscribed);
        Assert.Equal(1, connection.Reconnects);
    }

    [Fact]
    public void SubscriptionRefused_ThrownAndNotAskedAgainAfterAReconnect()
    {
        using var connection = Create(new ReconnectOptions { MinDelayMilliseconds = 10 });
        using var back = Watch(connection);
        connection.Connect(new MqttConnectOptions { ClientId = "dev" });
        _inner.Refused.Add("b/res");
        Assert.Throws<MqttConnectionRefusedException>(() => connection.Subscribe(["b/res"], [MqttQos.AtLeastOnce]));
        connection.Subscribe(["a/res"], [MqttQos.AtLeastOnce]);
        _inner.Subscribed.Clear();

        _inner.Drop();

        Assert.True(back.Wait(Wait)); // a refused filter kept in the set would fail every restore: no reconnect would end
        Assert.Equal(["a/res"], _inner.Subscribed);
    }

    [Fact]
    public void HeldPublishRefusedAfterReconnect_DroppedAndCounted_TheRestSent()
    {
        using var connection = Create(new ReconnectOptions { MinDelayMilliseconds = 10, MaxBufferedPublishes = 4 });
        using var back = Watch(connection);
        connection.Connect(new MqttConnectOptions { ClientId = "dev" });
        _inner.FailNextConnects = int.MaxValue;
        _inner.Drop();
        connection.Publish("forbidden", [1], MqttQos.AtLeastOnce, retain: false);
        connection.Publish("allowed", [2], MqttQos.AtLeastOnce, retain: false);
        _inner.Refused.Add("forbidden");

        _inner.FailNextConnects = 0;

        Assert.True(back.Wait(Wait));
        Assert.Equal(["allowed"], _inner.Published.Select(p => p.Topic));
        Assert.Equal(1, connection.RefusedPublishes);
        Assert.Equal(0, connection.BufferedPublishes);
    }

    [Fact]
    public void Backoff_CapsAtMaximumAndResetsAfterSuccess()
    {
        var backoff = new ReconnectBackoff(300, 1000);
        Assert.Equal([300, 600, 1000, 1000], new[] { backoff.NextDelay(), backoff.NextDelay(), backoff.NextDelay(), backoff.NextDelay() });
        backoff.Reset();
        Assert.Equal(300, backoff.NextDelay());
    }

    [Fact]
    public void PublishWhileDown_BufferedThenFlushedInOrderAfterReconnect()
    {
        using var connection = Create(new ReconnectOptions { MinDelayMilliseconds = 10, MaxBufferedPublishes = 4 });
        connection.Connect(new MqttConnectOptions { ClientId = "dev" });
        _inner.FailNextConnects = int.MaxValue; // stays down until the test lets it up
        _inner.Drop();

        byte[] reused = [1];
        connection.Publish("t", reused, MqttQos.AtLeastOnce, retain: false);
        reused[0] = 2; // the caller reuses its buffer: the held copy must not change
        connection.Publish("t", reused, MqttQos.ExactlyOnce, retain: true);
        Assert.Equal(2, connection.BufferedPublishes);
        Assert.Empty(_inner.Published);

        using var back = Watch(connection);
        _inner.FailNextConnects = 0;
        Assert.True(back.Wait(Wait));

        Assert.Equal([(byte)1, (byte)2], _inner.Published.Select(p => p.Payload[0]));
        Assert.Equal([MqttQos.AtLeastOnce, MqttQos.ExactlyOnce], _inner.Published.Select(p => p.Qos));
        Assert.Equal([false, true], _inner.Published.Select(p => p.Retain));
        Assert.Equal(0, connection.BufferedPublishes);
    }

    [Fact]
    public void BufferFull_DropsOldestAndCounts()
    {
        using var connection = Create(new ReconnectOptions { MinDelayMilliseconds = 10, MaxBufferedPublishes = 2 });
        connection.Connect(new MqttConnectOptions { ClientId = "dev" });
        _inner.FailNextConnects = int.MaxValue;
        _inner.Drop();

        for (byte i = 1; i <= 5; i++)
        {
            connection.Publish("t", [i], MqttQos.AtMostOnce, retain: false);
        }

        Assert.Equal(2, connection.BufferedPublishes);
        Assert.Equal(3, connection.DroppedPublishes);

        using var back = Watch(connection);
        _inner.FailNextConnects = 0;
        Assert.True(back.Wait(Wait));
        Assert.Equal([(byte)4, (byte)5], _inner.Published.Select(p => p.Payload[0]));
    }

    [Fact]
    public void BufferingOff_PublishWhileDown_Throws()
    {
        using var connection = Create(new ReconnectOptions { MaxBufferedPublishes = 0 });
        connection.Connect(new MqttConnectOptions { ClientId = "dev" });
        _inner.FailNextConnects = int.MaxValue;
        _inner.Drop();

        var error = Assert.Throws<MqttConnectionException>(() => connection.Publish("t", [1], MqttQos.AtMostOnce, false));
        Assert.Contains("buffering is off", error.Message);
    }

    [Fact]
    public void Disconnect_NoReconnectAndClosedRaisedOnce()
    {
        using var connection = Create(null);
        int closed = 0;
        connection.ConnectionClosed += (_, _) => closed++;
        connection.Connect(new MqttConnectOptions { ClientId = "dev" });

        connection.Disconnect();
        _inner.Drop();
        connection.Dispose();

        Assert.Equal(1, closed);
        Assert.Equal(1, _inner.ConnectAttempts);
        Assert.Empty(_clock.Sleeps);
    }

    [Fact]
    public void FirstConnectFails_ThrowsWithoutRetrying()
    {
        using var connection = Create(null);
        _inner.FailNextConnects = 1;

        Assert.Throws<MqttConnectionException>(() => connection.Connect(new MqttConnectOptions { ClientId = "dev" }));
        Assert.Empty(_clock.Sleeps);
    }

    [Fact]
    public void MessageReceived_ForwardedWithWrapperAsSender()
    {
        using var connection = Create(null);
        object? sender = null;
        MqttMessage? received = null;
        connection.MessageReceived += (s, m) => (sender, received) = (s, m);
        var message = new MqttMessage("a/cmd", [7], MqttQos.AtLeastOnce, duplicate: true, retained: false);

        _inner.Deliver(message);

        Assert.Same(connection, sender);
        Assert.Same(message, received);
    }

    private ReconnectingMqttConnection Create(ReconnectOptions? options) => new(_inner, _clock, options, ownsInner: false);

    private static ManualResetEventSlim Watch(ReconnectingMqttConnection connection)
    {
        var back = new ManualResetEventSlim();
        connection.Reconnected += (_, _) => back.Set();
        return back;
    }
}
