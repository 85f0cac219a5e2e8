using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>An in-memory IMqttConnection: records publishes and subscriptions, delivers messages on demand.</summary>
internal sealed class FakeMqtt : IMqttConnection
{
    public event MqttMessageHandler? MessageReceived;

    public event EventHandler? ConnectionClosed;

    public bool IsConnected { get; private set; } = true;

    public List<(string Topic, byte[] Payload, MqttQos Qos)> Published { get; } = [];

    public List<string> Subscriptions { get; } = [];

    public void Connect(MqttConnectOptions options) => IsConnected = true;

    public void Subscribe(string[] topics, MqttQos[] qos) => Subscriptions.AddRange(topics);

    public void Publish(string topic, byte[] payload, MqttQos qos, bool retain) => Published.Add((topic, payload.ToArray(), qos));

    public void Deliver(string topic, byte[] payload) =>
        MessageReceived?.Invoke(this, new MqttMessage(topic, payload, MqttQos.AtLeastOnce, false, false));

    public void Disconnect()
    {
        IsConnected = false;
        ConnectionClosed?.Invoke(this, EventArgs.Empty);
    }

    public void Dispose() => Disconnect();
}
