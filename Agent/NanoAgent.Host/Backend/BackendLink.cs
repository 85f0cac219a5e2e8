using System.Collections.Concurrent;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Delivery;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Backend;

/// <summary>
/// A tenant backend's MQTT link to one device's agent (docs/protocol.md §2): publishes on the tenant's <c>script/req</c>
/// topic and receives the agent's answers (E3, E5) on <c>script/res</c> and progress (E4) on <c>script/progress</c>.
/// Messages are queued by the MQTT thread and handed out by <see cref="Next"/> on the caller's thread. Delivery is
/// end-to-end at-least-once (docs/reliability.md): the request last sent is sent again, byte for byte, while its answer is
/// missing (<see cref="Policy"/>) and as soon as a dropped broker link is back (the connection reconnects and subscribes
/// again by itself); the agent answers a copy it already handled from its store.
/// </summary>
public sealed class BackendLink : IDisposable
{
    private readonly IMqttConnection _mqtt;
    private readonly bool _owns;
    private readonly string _request;
    private readonly string _response;
    private readonly string _progress;
    private readonly BlockingCollection<MqttMessage> _inbox = [];
    private PendingRequest? _pending;

    /// <summary>Creates the link over a connected connection and subscribes to the tenant's answer topics.</summary>
    /// <param name="mqtt">The connection (already connected).</param>
    /// <param name="device">The device id.</param>
    /// <param name="tenant">The tenant id.</param>
    /// <param name="ownsConnection">Whether <see cref="Dispose"/> disconnects it.</param>
    public BackendLink(IMqttConnection mqtt, string device, string tenant, bool ownsConnection)
        : this(mqtt, device, tenant, ownsConnection, subscribe: true)
    {
    }

    /// <summary>Creates the link over a connected connection.</summary>
    /// <param name="mqtt">The connection (already connected).</param>
    /// <param name="device">The device id.</param>
    /// <param name="tenant">The tenant id.</param>
    /// <param name="ownsConnection">Whether <see cref="Dispose"/> disconnects it.</param>
    /// <param name="subscribe">False when the connection already subscribed to the answer topics of many devices (a fleet
    /// worker's one connection, <c>nanoagent/+/{tenant}/script/res</c>); the link then only picks its device's messages.</param>
    public BackendLink(IMqttConnection mqtt, string device, string tenant, bool ownsConnection, bool subscribe)
    {
        _mqtt = mqtt;
        _owns = ownsConnection;
        _request = AgentTopics.Request(device, tenant);
        _response = AgentTopics.Response(device, tenant);
        _progress = AgentTopics.Progress(device, tenant);
        _mqtt.MessageReceived += OnMessage;
        if (_mqtt is ReconnectingMqttConnection reconnecting)
        {
            reconnecting.Reconnected += OnReconnected;
        }

        if (subscribe)
        {
            _mqtt.Subscribe([_response, _progress], [MqttQos.AtLeastOnce, MqttQos.AtLeastOnce]);
        }
    }

    /// <summary>Gets or sets how long to wait for an answer with nothing heard, and how often to send an unanswered request again.</summary>
    public ResendPolicy Policy { get; set; } = ResendPolicy.For(TimeSpan.FromSeconds(30));

    /// <summary>Gets how many times requests were sent again (re-sends only, over the link's life).</summary>
    public int Resends { get; private set; }

    /// <summary>Connects to a broker and opens the link.</summary>
    /// <param name="broker">The broker address (<c>mqtt://host:port</c> or <c>mqtts://</c>).</param>
    /// <param name="user">User name, or null.</param>
    /// <param name="password">Password, or null.</param>
    /// <param name="device">The device id.</param>
    /// <param name="tenant">The tenant id.</param>
    /// <param name="settings">TLS settings (CA, client certificate) and timeouts, or null for the defaults.</param>
    /// <param name="reconnectMinDelayMilliseconds">The first delay before reconnecting a dropped link.</param>
    /// <returns>The link; dispose it to disconnect.</returns>
    /// <exception cref="BackendException">The broker refused the login or the subscription to the tenant's answers (exit code
    /// 1), or cannot be reached (exit code 3).</exception>
    public static BackendLink Connect(MqttBrokerAddress broker, string? user, string? password, string device, string tenant, MqttNetSettings? settings = null, int reconnectMinDelayMilliseconds = 500)
    {
        // The first connect is not retried (a wrong address shows at once); a link that drops later reconnects by itself.
        var reconnect = new ReconnectOptions { MinDelayMilliseconds = reconnectMinDelayMilliseconds, MaxDelayMilliseconds = 5000 };
        var connection = new ReconnectingMqttConnection(new MqttNetConnection(broker, settings), SystemClock.Instance, reconnect, ownsInner: true);
        try
        {
            connection.Connect(new MqttConnectOptions
            {
                ClientId = BrokerClientIds.ForTool(user, "backend"),
                UserName = user,
                Password = password,
                CleanSession = true,
            });
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

        try
        {
            return new BackendLink(connection, device, tenant, ownsConnection: true);
        }
        catch (MqttConnectionException e)
        {
            connection.Dispose();
            throw e is MqttConnectionRefusedException
                ? new BackendException(1, $"{e.Message}{LoginHint(user, tenant)}")
                : new BackendException(3, $"lost the broker: {e.Message}");
        }
    }

    /// <summary>Publishes a request (E1 or E2) to the agent at QoS 1; <see cref="Next"/> sends the same bytes again while its
    /// answer is missing.</summary>
    /// <param name="payload">The encoded message.</param>
    /// <exception cref="BackendException">The broker refused the publish: not authorized (exit code 1, MQTT 5 brokers), or the
    /// link is lost (exit code 3).</exception>
    public void Send(byte[] payload)
    {
        var pending = new PendingRequest(Policy, () => Publish(payload));
        pending.Send();
        _pending = pending;
    }

    /// <summary>Waits for the next answer of a session or script: an <see cref="ApduResponse"/> or a <see cref="ScriptResult"/>
    /// carrying <paramref name="scriptId"/> (or a rejection of an undecodable request). Progress of that script is handed to
    /// <paramref name="onProgress"/> meanwhile; anything else is skipped.</summary>
    /// <param name="scriptId">The script or session id.</param>
    /// <param name="onProgress">Receives progress reports, or null.</param>
    /// <returns>An <see cref="ApduResponse"/> or a <see cref="ScriptResult"/>.</returns>
    /// <exception cref="BackendException">Nothing came within the policy's timeout, re-sends included (exit code 3).</exception>
    public object Next(byte[] scriptId, Action<ScriptProgress>? onProgress)
    {
        PendingRequest pending = _pending ?? throw new InvalidOperationException("Send a request first.");
        while (true)
        {
            int sends = pending.Sends;
            bool taken = pending.TryTake(_inbox, out MqttMessage message);
            Resends += pending.Sends - sends;
            if (!taken)
            {
                throw new BackendException(3, $"no answer from the agent within {pending.Policy.Timeout.TotalSeconds:0} s (sent {pending.Sends} times): is the device online and subscribed?");
            }

            object? decoded = Decode(message, scriptId);
            if (decoded is ScriptProgress progress)
            {
                pending.Heard();
                onProgress?.Invoke(progress);
            }
            else if (decoded is not null)
            {
                pending.Heard();
                return decoded;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _mqtt.MessageReceived -= OnMessage;
        if (_mqtt is ReconnectingMqttConnection reconnecting)
        {
            reconnecting.Reconnected -= OnReconnected;
        }

        if (_owns)
        {
            try
            {
                _mqtt.Disconnect();
            }
            catch (MqttConnectionException)
            {
                // Already gone.
            }

            _mqtt.Dispose();
        }

        _inbox.Dispose();
    }

    private static object? Decode(MqttMessage message, byte[] scriptId)
    {
        try
        {
            switch (ScriptMessageCodec.PeekType(message.Payload))
            {
                case MessageType.ApduResponse:
                    ApduResponse apdu = ReportMessageCodec.DecodeApduResponse(message.Payload);
                    return apdu.ScriptId.AsSpan().SequenceEqual(scriptId) ? apdu : null;
                case MessageType.Result:
                    ScriptResult result = ReportMessageCodec.DecodeResult(message.Payload);
                    return result.ScriptId is null || result.ScriptId.Length == 0 || result.ScriptId.AsSpan().SequenceEqual(scriptId) ? result : null;
                case MessageType.Progress:
                    ScriptProgress progress = ReportMessageCodec.DecodeProgress(message.Payload);
                    return progress.ScriptId.AsSpan().SequenceEqual(scriptId) ? progress : null;
                default:
                    return null;
            }
        }
        catch (AgentMessageException)
        {
            return null; // Not ours to judge: a malformed message from the agent side is skipped.
        }
    }

    private void Publish(byte[] payload)
    {
        try
        {
            // While the link is down the reconnecting connection holds the publish and sends it once the broker is back.
            _mqtt.Publish(_request, payload, MqttQos.AtLeastOnce, false);
        }
        catch (MqttConnectionRefusedException e)
        {
            throw new BackendException(1, e.Message);
        }
        catch (MqttConnectionException e)
        {
            throw new BackendException(3, $"lost the broker: {e.Message}");
        }
    }

    private static string LoginHint(string? user, string tenant) =>
        user is null ? string.Empty : $" (is '{user}' a broker login of tenant '{tenant}'? docs/broker-security.md)";

    private void OnReconnected(object? sender, EventArgs e) => _pending?.LinkBack();

    private void OnMessage(object? sender, MqttMessage message)
    {
        if (message.Topic == _response || message.Topic == _progress)
        {
            try
            {
                _inbox.Add(message);
            }
            catch (ObjectDisposedException)
            {
                // The run is over.
            }
        }
    }
}
