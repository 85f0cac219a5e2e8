using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Host.Mqtt.Tests.Reconnect;

/// <summary>An in-memory connection whose link the test drops and whose connect attempts fail on demand.</summary>
public sealed class FakeMqttConnection : IMqttConnection
{
    private readonly object _lock = new();

    public event MqttMessageHandler? MessageReceived;

    public event EventHandler? ConnectionClosed;

    public bool IsConnected { get; private set; }

    /// <summary>Gets or sets how many of the next connect attempts fail (broker down).</summary>
    public int FailNextConnects { get; set; }

    public int ConnectAttempts { get; private set; }

    public List<string> Subscribed { get; } = [];

    /// <summary>Gets the topics and filters the broker refuses (MQTT 5 PUBACK/SUBACK 0x87), staying connected.</summary>
    public HashSet<string> Refused { get; } = [];

    public List<(string Topic, byte[] Payload, MqttQos Qos, bool Retain)> Published { get; } = [];

    public void Connect(MqttConnectOptions options)
    {
        lock (_lock)
        {
            ConnectAttempts++;
            if (FailNextConnects > 0)
            {
                FailNextConnects--;
                throw new MqttConnectionException("cannot reach broker at fake:1883: connection refused");
            }

            IsConnected = true;
        }
    }

    public void Subscribe(string[] topics, MqttQos[] qos)
    {
        Require();
        lock (_lock)
        {
            if (topics.FirstOrDefault(Refused.Contains) is { } refused)
            {
                throw new MqttConnectionRefusedException($"broker fake:1883 refused the subscription to '{refused}': not authorized");
            }

            Subscribed.AddRange(topics);
        }
    }

    public void Publish(string topic, byte[] payload, MqttQos qos, bool retain)
    {
        Require();
        lock (_lock)
        {
            if (Refused.Contains(topic))
            {
                throw new MqttConnectionRefusedException($"broker fake:1883 refused the publish to '{topic}': not authorized");
            }

            Published.Add((topic, (byte[])payload.Clone(), qos, retain));
        }
    }

    public void Disconnect() => IsConnected = false;

    public void Dispose() => IsConnected = false;

    /// <summary>Drops the link as a broker restart would.</summary>
    public void Drop()
    {
        IsConnected = false;
        ConnectionClosed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Delivers a message as if the broker sent it.</summary>
    public void Deliver(MqttMessage message) => MessageReceived?.Invoke(this, message);

    private void Require()
    {
        if (!IsConnected)
        {
            throw new MqttConnectionException("not connected");
        }
    }
}
