using System.Collections.Concurrent;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Provision;

/// <summary>
/// The console's MQTT link: a reconnecting connection subscribed to the device's status and to the result and progress
/// topics of every tenant in the bundle (docs/protocol.md §2). Messages and link changes queue up for the console thread.
/// </summary>
internal sealed class ProvisionLink : IDisposable
{
    private readonly BlockingCollection<object> _events = new();
    private readonly ReconnectingMqttConnection _mqtt;
    private readonly string _device;

    private ProvisionLink(ReconnectingMqttConnection mqtt, string device)
    {
        _mqtt = mqtt;
        _device = device;
        _mqtt.MessageReceived += (_, m) => _events.Add(m);
        _mqtt.ConnectionLost += (_, _) => _events.Add(LinkChange.Lost);
        _mqtt.Reconnected += (_, _) => _events.Add(LinkChange.Back);
    }

    /// <summary>A change of the broker link.</summary>
    public enum LinkChange
    {
        /// <summary>The broker link dropped; the connection is reconnecting on its own.</summary>
        Lost,

        /// <summary>The broker link is back and subscriptions are restored.</summary>
        Back,
    }

    /// <summary>Connects and subscribes.</summary>
    /// <exception cref="MqttConnectionException">The broker cannot be reached.</exception>
    public static ProvisionLink Connect(ProvisionOptions options, IEnumerable<string> tenants)
    {
        var inner = new MqttNetConnection(options.Broker!, options.Mqtt);
        var reconnect = new ReconnectOptions { MinDelayMilliseconds = options.ReconnectMinDelayMilliseconds, MaxDelayMilliseconds = 5000 };
        var mqtt = new ReconnectingMqttConnection(inner, SystemClock.Instance, reconnect, ownsInner: true);
        var link = new ProvisionLink(mqtt, options.Device);
        try
        {
            mqtt.Connect(new MqttConnectOptions
            {
                ClientId = BrokerClientIds.ForTool(options.UserName, "provision"), UserName = options.UserName, Password = options.Password, CleanSession = true,
            });
            var topics = new List<string> { AgentTopics.Status(options.Device) };
            foreach (string tenant in tenants.Distinct())
            {
                topics.Add(AgentTopics.Response(options.Device, tenant));
                topics.Add(AgentTopics.Progress(options.Device, tenant));
            }

            mqtt.Subscribe(topics.ToArray(), topics.Select(_ => MqttQos.AtLeastOnce).ToArray());
            return link;
        }
        catch
        {
            link.Dispose();
            throw;
        }
    }

    /// <summary>Publishes a request on the tenant's request topic (held and sent on reconnect while the link is down).</summary>
    public void Send(string tenant, byte[] request) =>
        _mqtt.Publish(AgentTopics.Request(_device, tenant), request, MqttQos.AtLeastOnce, retain: false);

    /// <summary>Gets the queue of messages (<see cref="MqttMessage"/>) and link changes (<see cref="LinkChange"/>) in arrival order.</summary>
    public BlockingCollection<object> Events => _events;

    /// <inheritdoc />
    public void Dispose() => _mqtt.Dispose();
}
