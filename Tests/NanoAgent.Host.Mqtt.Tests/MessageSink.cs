using System.Collections.Concurrent;
using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Host.Mqtt.Tests;

/// <summary>Collects messages raised by a connection; every wait is bounded so a lost message fails instead of hanging.</summary>
public sealed class MessageSink
{
    /// <summary>The longest any test waits for a message.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly BlockingCollection<MqttMessage> _messages = new();

    /// <summary>Creates a sink listening to a connection.</summary>
    /// <param name="connection">The connection.</param>
    public MessageSink(IMqttConnection connection) => connection.MessageReceived += (_, m) => _messages.Add(m);

    /// <summary>Takes the next message or fails after <see cref="Wait"/>.</summary>
    /// <param name="what">What the test waits for, for the failure message.</param>
    /// <returns>The message.</returns>
    public MqttMessage Next(string what)
    {
        Assert.True(_messages.TryTake(out MqttMessage? message, Wait), $"no message within {Wait.TotalSeconds} s: {what}");
        return message!;
    }
}
