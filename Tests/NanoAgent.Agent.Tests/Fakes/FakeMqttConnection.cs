using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>One client connection to an <see cref="InMemoryBroker"/>.</summary>
public sealed class FakeMqttConnection(InMemoryBroker broker) : IMqttConnection
{
    private MqttConnectOptions? _options;

    public event MqttMessageHandler? MessageReceived;

    public event EventHandler? ConnectionClosed;

    public bool IsConnected { get; private set; }

    public List<string> Filters { get; } = [];

    /// <summary>Gets what this client received, in order.</summary>
    public List<MqttMessage> Received { get; } = [];

    public int Connects { get; private set; }

    /// <summary>Gets the options of the last connect, or null.</summary>
    public MqttConnectOptions? Options => _options;

    public void Connect(MqttConnectOptions options)
    {
        if (!broker.IsUp)
        {
            throw new MqttConnectionException("The broker is down.");
        }

        _options = options;
        IsConnected = true;
        Connects++;
    }

    public void Subscribe(string[] topics, MqttQos[] qos)
    {
        Check();
        foreach (string filter in topics)
        {
            if (!Filters.Contains(filter))
            {
                Filters.Add(filter);
            }

            foreach ((string topic, byte[] payload) in broker.RetainedMatching(filter))
            {
                Receive(new MqttMessage(topic, payload, MqttQos.AtLeastOnce, false, true));
            }
        }
    }

    public void Publish(string topic, byte[] payload, MqttQos qos, bool retain)
    {
        Check();
        broker.Route(topic, payload, qos, retain);
    }

    public void Disconnect()
    {
        IsConnected = false;
        ConnectionClosed?.Invoke(this, EventArgs.Empty);
    }

    public void Dispose() => IsConnected = false;

    internal void Receive(MqttMessage message)
    {
        Received.Add(message);
        MessageReceived?.Invoke(this, message);
    }

    /// <summary>The connection breaks without DISCONNECT: the broker publishes the will (MQTT 3.1.1 §3.1.2.5).</summary>
    internal void Drop()
    {
        IsConnected = false;
        if (_options?.WillTopic is { } will)
        {
            broker.Route(will, _options.WillPayload, MqttQos.AtLeastOnce, _options.WillRetain);
        }

        ConnectionClosed?.Invoke(this, EventArgs.Empty);
    }

    private void Check()
    {
        if (!IsConnected || !broker.IsUp)
        {
            throw new MqttConnectionException("Not connected.");
        }
    }
}
