using System.Collections.Concurrent;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Gate;

/// <summary>
/// A tenant backend's MQTT connection for gated data (<c>backend watch</c>, <c>backend actuate</c>): connects, subscribes and
/// queues what arrives for the caller's thread. A first connection failure becomes <see cref="GateBackendException"/> with
/// exit code 3; a link that drops later reconnects and subscribes again by itself (<see cref="Reconnected"/>).
/// </summary>
public sealed class GateBackendClient : IDisposable
{
    private readonly ReconnectingMqttConnection _mqtt;
    private readonly BlockingCollection<MqttMessage> _inbox = [];

    private GateBackendClient(ReconnectingMqttConnection mqtt)
    {
        _mqtt = mqtt;
        _mqtt.MessageReceived += (_, m) => _inbox.Add(m);
        _mqtt.Reconnected += (_, _) => Reconnected?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Raised (on another thread) when a dropped broker link is back and its subscriptions are restored.</summary>
    public event EventHandler? Reconnected;

    /// <summary>Connects and subscribes at QoS 1.</summary>
    /// <param name="broker">Broker URL (<c>mqtt://host:port</c>, <c>mqtts://</c>).</param>
    /// <param name="user">User name, or null.</param>
    /// <param name="password">Password, or null.</param>
    /// <param name="settings">TLS settings (CA, client certificate), or null for the defaults; the timeout is 5 s unless given.</param>
    /// <param name="topics">Topic filters.</param>
    /// <returns>The connected client.</returns>
    /// <exception cref="GateBackendException">Bad URL (exit 2), the login or a subscription refused (exit 1), or unreachable
    /// broker (exit 3).</exception>
    public static GateBackendClient Connect(string broker, string? user, string? password, MqttNetSettings? settings, params string[] topics)
    {
        if (!MqttBrokerAddress.TryParse(broker, out MqttBrokerAddress? address) || address is null)
        {
            throw new GateBackendException(2, $"'{broker}' is not a broker address (mqtt://host:port or mqtts://host:port)");
        }

        var inner = new MqttNetConnection(address, settings ?? new MqttNetSettings { Timeout = TimeSpan.FromSeconds(5) });
        var reconnect = new ReconnectOptions { MinDelayMilliseconds = 500, MaxDelayMilliseconds = 5000 };
        var connection = new ReconnectingMqttConnection(inner, SystemClock.Instance, reconnect, ownsInner: true);
        try
        {
            connection.Connect(new MqttConnectOptions
            {
                ClientId = BrokerClientIds.ForTool(user, "gate"),
                UserName = user,
                Password = password,
                CleanSession = true,
            });
        }
        catch (MqttConnectionRefusedException e)
        {
            connection.Dispose();
            throw new GateBackendException(1, $"the broker refused the login: {e.Message}");
        }
        catch (MqttConnectionException e)
        {
            connection.Dispose();
            throw new GateBackendException(3, $"cannot reach the broker: {e.Message}");
        }

        try
        {
            var client = new GateBackendClient(connection);
            connection.Subscribe(topics, topics.Select(_ => MqttQos.AtLeastOnce).ToArray());
            return client;
        }
        catch (MqttConnectionRefusedException e)
        {
            connection.Dispose();
            throw new GateBackendException(1, e.Message);
        }
        catch (MqttConnectionException e)
        {
            connection.Dispose();
            throw new GateBackendException(3, $"cannot reach the broker: {e.Message}");
        }
    }

    /// <summary>Publishes at QoS 1, not retained.</summary>
    /// <param name="topic">Topic.</param>
    /// <param name="payload">Payload.</param>
    /// <exception cref="GateBackendException">The broker refused the publish: not authorized (exit 1), or the connection is
    /// lost (exit 3).</exception>
    public void Publish(string topic, byte[] payload)
    {
        try
        {
            _mqtt.Publish(topic, payload, MqttQos.AtLeastOnce, retain: false);
        }
        catch (MqttConnectionRefusedException e)
        {
            throw new GateBackendException(1, e.Message);
        }
        catch (MqttConnectionException e)
        {
            throw new GateBackendException(3, $"lost the broker: {e.Message}");
        }
    }

    /// <summary>Gets the queue of messages received, for a <see cref="Delivery.PendingRequest"/> to wait on.</summary>
    internal BlockingCollection<MqttMessage> Inbox => _inbox;

    /// <summary>Waits for the next message.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <returns>The message, or null when nothing came in time.</returns>
    public MqttMessage? Next(TimeSpan timeout) => _inbox.TryTake(out MqttMessage? m, timeout) ? m : null;

    /// <summary>Waits for the next message, or until the timeout or a stop request.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <param name="stop">Ends the wait early (SIGTERM).</param>
    /// <returns>The message, or null when the time ran out or the wait was stopped.</returns>
    public MqttMessage? Next(TimeSpan timeout, CancellationToken stop)
    {
        try
        {
            return _inbox.TryTake(out MqttMessage? m, (int)Math.Min(int.MaxValue, timeout == Timeout.InfiniteTimeSpan ? -1 : timeout.TotalMilliseconds), stop) ? m : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            _mqtt.Disconnect();
        }
        catch (MqttConnectionException)
        {
            // Leaving anyway.
        }

        _mqtt.Dispose();
    }
}
