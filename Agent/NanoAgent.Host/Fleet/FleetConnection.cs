using System.Collections.Concurrent;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// A campaign worker's one broker connection, shared by every device it runs: it subscribes once to the tenant's answer
/// topics of all devices (<c>nanoagent/+/{tenant}/script/res</c> and <c>/progress</c>) and to every agent's retained status
/// (<c>nanoagent/+/status</c>), and hands out a <see cref="BackendLink"/> per device that picks its own messages. The
/// broker login therefore needs read rights on those filters (docs/fleet.md, "Broker"); it connects under one of the
/// login's own client ids (<see cref="BrokerClientIds.ForTool"/>), so several workers of one login never push each other off.
/// </summary>
public sealed class FleetConnection : IDisposable
{
    private readonly ReconnectingMqttConnection _mqtt;
    private readonly ConcurrentDictionary<string, bool> _online = new(StringComparer.Ordinal);
    private readonly string _tenant;

    private FleetConnection(ReconnectingMqttConnection mqtt, string tenant)
    {
        _mqtt = mqtt;
        _tenant = tenant;
        _mqtt.MessageReceived += OnMessage;
    }

    /// <summary>Raised (on an MQTT thread) when a device announces itself online.</summary>
    public event Action<string>? CameOnline;

    /// <summary>Gets how many devices announced a status so far.</summary>
    public int KnownDevices => _online.Count;

    /// <summary>Connects and subscribes.</summary>
    /// <param name="broker">The broker.</param>
    /// <param name="user">User name, or null.</param>
    /// <param name="password">Password, or null.</param>
    /// <param name="settings">TLS settings, or null.</param>
    /// <param name="tenant">The campaign's tenant.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="BackendException">The broker refused the login (exit code 1) or cannot be reached (exit code 3).</exception>
    public static FleetConnection Connect(MqttBrokerAddress broker, string? user, string? password, MqttNetSettings? settings, string tenant)
    {
        var mqtt = new ReconnectingMqttConnection(new MqttNetConnection(broker, settings), SystemClock.Instance,
            new ReconnectOptions { MinDelayMilliseconds = 500, MaxDelayMilliseconds = 5000 }, ownsInner: true);
        var connection = new FleetConnection(mqtt, tenant);
        try
        {
            mqtt.Connect(new MqttConnectOptions { ClientId = BrokerClientIds.ForTool(user, "fleet"), UserName = user, Password = password, CleanSession = true });
            mqtt.Subscribe(
                [AgentTopics.Response("+", tenant), AgentTopics.Progress("+", tenant), AgentTopics.Status("+")],
                [MqttQos.AtLeastOnce, MqttQos.AtLeastOnce, MqttQos.AtLeastOnce]);
            return connection;
        }
        catch (MqttConnectionRefusedException e)
        {
            connection.Dispose();
            throw new BackendException(1, $"the broker refused the login: {e.Message}");
        }
        catch (MqttConnectionException e)
        {
            connection.Dispose();
            throw new BackendException(3, $"cannot reach the broker: {e.Message}");
        }
    }

    /// <summary>Returns what the device's retained status says: true online, false offline, null never heard of.</summary>
    /// <param name="device">The device id.</param>
    /// <returns>The status.</returns>
    public bool? IsOnline(string device) => _online.TryGetValue(device, out bool online) ? online : null;

    /// <summary>Waits until the device's status is known or the time runs out (retained statuses arrive right after subscribing).</summary>
    /// <param name="device">The device id.</param>
    /// <param name="timeout">How long at most.</param>
    /// <param name="cancel">Stops the wait.</param>
    /// <returns>The status, or null.</returns>
    public bool? WaitForStatus(string device, TimeSpan timeout, CancellationToken cancel)
    {
        DateTime end = DateTime.UtcNow + timeout;
        bool? status;
        while ((status = IsOnline(device)) is null && DateTime.UtcNow < end && !cancel.IsCancellationRequested)
        {
            cancel.WaitHandle.WaitOne(50);
        }

        return status;
    }

    /// <summary>Opens a device's link over this connection (no subscription of its own).</summary>
    /// <param name="device">The device id.</param>
    /// <returns>The link; dispose it when the device is done.</returns>
    public BackendLink Link(string device) => new(_mqtt, device, _tenant, ownsConnection: false, subscribe: false);

    /// <inheritdoc />
    public void Dispose()
    {
        _mqtt.MessageReceived -= OnMessage;
        try
        {
            _mqtt.Disconnect();
        }
        catch (MqttConnectionException)
        {
        }

        _mqtt.Dispose();
    }

    private void OnMessage(object? sender, MqttMessage message)
    {
        // nanoagent/{device}/status
        string topic = message.Topic;
        if (!topic.StartsWith("nanoagent/", StringComparison.Ordinal) || !topic.EndsWith("/status", StringComparison.Ordinal))
        {
            return;
        }

        string device = topic["nanoagent/".Length..^"/status".Length];
        if (device.Contains('/', StringComparison.Ordinal) || message.Payload.Length == 0)
        {
            return;
        }

        try
        {
            bool online = StatusMessageCodec.DecodeStatus(message.Payload).Online;
            bool was = _online.TryGetValue(device, out bool before) && before;
            _online[device] = online;
            if (online && !was)
            {
                CameOnline?.Invoke(device);
            }
        }
        catch (AgentMessageException)
        {
            // Not a status we can read: the device stays as it was.
        }
    }
}
