using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;

namespace NanoAgent.Host.Agent;

/// <summary>
/// Passes an <see cref="IMqttConnection"/> through, but turns the agent service's per-tenant subscriptions into one
/// subscription to every tenant's request topic (<c>nanoagent/{device}/+/script/req</c>). A request for a tenant outside
/// the registry then reaches the relay, which rejects it as "unknown tenant" (logged, answered, nothing sent to the SE),
/// and no message arrives twice through overlapping filters.
/// </summary>
internal sealed class WildcardRequestConnection(IMqttConnection inner, string deviceId) : IMqttConnection
{
    public event MqttMessageHandler? MessageReceived
    {
        add => inner.MessageReceived += value;
        remove => inner.MessageReceived -= value;
    }

    public event EventHandler? ConnectionClosed
    {
        add => inner.ConnectionClosed += value;
        remove => inner.ConnectionClosed -= value;
    }

    public bool IsConnected => inner.IsConnected;

    public void Connect(MqttConnectOptions options) => inner.Connect(options);

    public void Subscribe(string[] topics, MqttQos[] qos) =>
        inner.Subscribe([AgentTopics.Request(deviceId, "+")], [MqttQos.AtLeastOnce]);

    public void Publish(string topic, byte[] payload, MqttQos qos, bool retain) => inner.Publish(topic, payload, qos, retain);

    public void Disconnect() => inner.Disconnect();

    public void Dispose()
    {
    }
}
