using System.Collections.Concurrent;
using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Host.Demo;

/// <summary>Collects the messages a backend's MQTT connection receives, by topic, for the demo to wait on.</summary>
internal sealed class MessageInbox
{
    private readonly BlockingCollection<MqttMessage> _messages = new();

    public MessageInbox(IMqttConnection connection) => connection.MessageReceived += (_, m) => _messages.Add(m);

    /// <summary>Waits up to 10 s for the next message on a topic (others are skipped).</summary>
    /// <exception cref="TimeoutException">Nothing arrived in time.</exception>
    public byte[] Next(string topic)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_messages.TryTake(out MqttMessage? m, deadline - DateTime.UtcNow > TimeSpan.Zero ? deadline - DateTime.UtcNow : TimeSpan.Zero))
        {
            if (m.Topic == topic)
            {
                return m.Payload;
            }
        }

        throw new TimeoutException($"no message on {topic} within 10 s");
    }
}
