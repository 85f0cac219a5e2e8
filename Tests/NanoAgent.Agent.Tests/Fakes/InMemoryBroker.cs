using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>
/// A broker in memory for the agent tests: exact and wildcard (+, #) subscriptions, retained messages, last wills, and a
/// switch that takes the broker down (connections drop, publishes fail). Delivery is synchronous.
/// </summary>
public sealed class InMemoryBroker
{
    private readonly List<FakeMqttConnection> _clients = [];

    /// <summary>Gets the retained message of each topic.</summary>
    public Dictionary<string, byte[]> Retained { get; } = [];

    /// <summary>Gets every message the broker accepted, in order.</summary>
    public List<MqttMessage> Log { get; } = [];

    /// <summary>Gets a value indicating whether the broker accepts connections and publishes.</summary>
    public bool IsUp { get; private set; } = true;

    /// <summary>Gets every client connection made so far.</summary>
    public IReadOnlyList<FakeMqttConnection> Clients => _clients;

    public FakeMqttConnection NewClient()
    {
        var client = new FakeMqttConnection(this);
        _clients.Add(client);
        return client;
    }

    /// <summary>Takes the broker down: every connection drops uncleanly, so wills are published (to the log and retained).</summary>
    public void GoDown()
    {
        foreach (FakeMqttConnection client in _clients.Where(c => c.IsConnected))
        {
            client.Drop();
        }

        IsUp = false;
    }

    public void ComeUp() => IsUp = true;

    internal void Route(string topic, byte[] payload, MqttQos qos, bool retain)
    {
        Log.Add(new MqttMessage(topic, payload, qos, false, retain));
        if (retain)
        {
            Retained[topic] = payload;
        }

        foreach (FakeMqttConnection client in _clients.Where(c => c.IsConnected).ToList())
        {
            if (client.Filters.Any(f => Matches(f, topic)))
            {
                client.Receive(new MqttMessage(topic, payload, qos, false, false));
            }
        }
    }

    internal IEnumerable<(string Topic, byte[] Payload)> RetainedMatching(string filter) =>
        Retained.Where(kv => Matches(filter, kv.Key)).Select(kv => (kv.Key, kv.Value)).ToList();

    /// <summary>MQTT 3.1.1 §4.7: '+' matches one level, a trailing '#' matches the rest.</summary>
    public static bool Matches(string filter, string topic)
    {
        string[] f = filter.Split('/');
        string[] t = topic.Split('/');
        for (int i = 0; i < f.Length; i++)
        {
            if (f[i] == "#")
            {
                return true;
            }

            if (i >= t.Length || (f[i] != "+" && f[i] != t[i]))
            {
                return false;
            }
        }

        return f.Length == t.Length;
    }
}
