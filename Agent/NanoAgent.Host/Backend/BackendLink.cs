using System.Collections.Concurrent;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Backend;

/// <summary>
/// A tenant backend's MQTT link to one device's agent (docs/protocol.md §2): publishes on the tenant's <c>script/req</c>
/// topic and receives the agent's answers (E3, E5) on <c>script/res</c> and progress (E4) on <c>script/progress</c>.
/// Messages are queued by the MQTT thread and handed out by <see cref="Next"/> on the caller's thread.
/// </summary>
public sealed class BackendLink : IDisposable
{
    private readonly IMqttConnection _mqtt;
    private readonly bool _owns;
    private readonly string _request;
    private readonly string _response;
    private readonly string _progress;
    private readonly BlockingCollection<MqttMessage> _inbox = [];

    /// <summary>Creates the link over a connected connection and subscribes to the tenant's answer topics.</summary>
    /// <param name="mqtt">The connection (already connected).</param>
    /// <param name="device">The device id.</param>
    /// <param name="tenant">The tenant id.</param>
    /// <param name="ownsConnection">Whether <see cref="Dispose"/> disconnects it.</param>
    public BackendLink(IMqttConnection mqtt, string device, string tenant, bool ownsConnection)
    {
        _mqtt = mqtt;
        _owns = ownsConnection;
        _request = AgentTopics.Request(device, tenant);
        _response = AgentTopics.Response(device, tenant);
        _progress = AgentTopics.Progress(device, tenant);
        _mqtt.MessageReceived += OnMessage;
        _mqtt.Subscribe([_response, _progress], [MqttQos.AtLeastOnce, MqttQos.AtLeastOnce]);
    }

    /// <summary>Connects to a broker and opens the link.</summary>
    /// <param name="broker">The broker address (<c>mqtt://host:port</c> or <c>mqtts://</c>).</param>
    /// <param name="user">User name, or null.</param>
    /// <param name="password">Password, or null.</param>
    /// <param name="device">The device id.</param>
    /// <param name="tenant">The tenant id.</param>
    /// <param name="settings">TLS settings (CA, client certificate) and timeouts, or null for the defaults.</param>
    /// <returns>The link; dispose it to disconnect.</returns>
    /// <exception cref="BackendException">The broker cannot be reached or refused the connection (exit code 3).</exception>
    public static BackendLink Connect(MqttBrokerAddress broker, string? user, string? password, string device, string tenant, MqttNetSettings? settings = null)
    {
        var connection = new MqttNetConnection(broker, settings);
        try
        {
            connection.Connect(new MqttConnectOptions
            {
                ClientId = $"nanoagent-backend-{tenant}-{Guid.NewGuid():N}"[..40],
                UserName = user,
                Password = password,
                CleanSession = true,
            });
            return new BackendLink(connection, device, tenant, ownsConnection: true);
        }
        catch (MqttConnectionException e)
        {
            connection.Dispose();
            throw new BackendException(3, $"cannot reach the broker: {e.Message}");
        }
    }

    /// <summary>Publishes a request (E1 or E2) to the agent at QoS 1.</summary>
    /// <param name="payload">The encoded message.</param>
    /// <exception cref="BackendException">The broker connection is lost (exit code 3).</exception>
    public void Send(byte[] payload)
    {
        try
        {
            _mqtt.Publish(_request, payload, MqttQos.AtLeastOnce, false);
        }
        catch (MqttConnectionException e)
        {
            throw new BackendException(3, $"lost the broker: {e.Message}");
        }
    }

    /// <summary>Waits for the next answer of a session or script: an <see cref="ApduResponse"/> or a <see cref="ScriptResult"/>
    /// carrying <paramref name="scriptId"/> (or a rejection of an undecodable request). Progress of that script is handed to
    /// <paramref name="onProgress"/> meanwhile; anything else is skipped.</summary>
    /// <param name="scriptId">The script or session id.</param>
    /// <param name="timeout">How long to wait in all.</param>
    /// <param name="onProgress">Receives progress reports, or null.</param>
    /// <returns>An <see cref="ApduResponse"/> or a <see cref="ScriptResult"/>.</returns>
    /// <exception cref="BackendException">Nothing came in time (exit code 3).</exception>
    public object Next(byte[] scriptId, TimeSpan timeout, Action<ScriptProgress>? onProgress)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left < TimeSpan.Zero || !_inbox.TryTake(out MqttMessage? message, left))
            {
                throw new BackendException(3, $"no answer from the agent within {timeout.TotalSeconds:0} s: is the device online and subscribed?");
            }

            object? decoded = Decode(message, scriptId);
            if (decoded is ScriptProgress progress)
            {
                onProgress?.Invoke(progress);
            }
            else if (decoded is not null)
            {
                return decoded;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _mqtt.MessageReceived -= OnMessage;
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
