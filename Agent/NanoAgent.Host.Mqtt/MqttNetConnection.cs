using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Host.Mqtt;

/// <summary>
/// <see cref="IMqttConnection"/> over an MQTTnet 5 client. It speaks MQTT 5, so a publish or subscription the broker
/// refuses comes back with its reason (PUBACK/SUBACK 0x87 not authorized) as an <see cref="MqttConnectionRefusedException"/>;
/// a broker that does not speak 5 (CONNACK 0x84, or MQTT 3.1.1's 0x01 "unacceptable protocol level") gets MQTT 3.1.1 from
/// then on, as nanoFramework M2Mqtt speaks. The portable interface is synchronous, so every call waits for MQTTnet with
/// <see cref="MqttNetSettings.Timeout"/>; every failure becomes an <see cref="MqttConnectionException"/> naming the broker
/// and the cause.
/// </summary>
public sealed class MqttNetConnection : IMqttConnection
{
    private readonly IMqttClient _client;
    private readonly MqttBrokerAddress _broker;
    private readonly MqttNetSettings _settings;
    private readonly MqttNetTlsCheck _tls = new();
    private int _disposed;
    private MqttClientConnectResult? _refusal;
    private MqttProtocolVersion _protocol;

    /// <summary>Creates a connection (not yet connected).</summary>
    /// <param name="broker">Where the broker is.</param>
    /// <param name="settings">Timeouts and TLS settings, or null for the defaults.</param>
    public MqttNetConnection(MqttBrokerAddress broker, MqttNetSettings? settings = null)
    {
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _settings = settings ?? new MqttNetSettings();
        _protocol = _settings.Mqtt5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <inheritdoc />
    public event MqttMessageHandler? MessageReceived;

    /// <inheritdoc />
    public event EventHandler? ConnectionClosed;

    /// <summary>Gets the broker address.</summary>
    public MqttBrokerAddress Broker => _broker;

    /// <inheritdoc />
    public bool IsConnected => _client.IsConnected;

    /// <summary>Gets the MQTT version this connection speaks: "5.0", or "3.1.1" once the broker refused 5.</summary>
    public string ProtocolVersion => _protocol == MqttProtocolVersion.V500 ? "5.0" : "3.1.1";

    /// <summary>Gets why the broker closed the last connection, when it said (MQTT 5 DISCONNECT reason), or null.</summary>
    public string? LastDisconnectReason { get; private set; }

    /// <inheritdoc />
    public void Connect(MqttConnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        MqttClientConnectResultCode? refused = Attempt(options, _protocol, out MqttConnectionException? failure);
        if (failure != null && _protocol == MqttProtocolVersion.V500 && MqttNetErrors.RefusesVersion(refused))
        {
            // MQTT 3.1.1 §3.1.2.2: a broker without MQTT 5 answers CONNACK 0x01 and closes; MQTT 5 §3.1.2.2: 0x84.
            Attempt(options, MqttProtocolVersion.V311, out failure);
            if (failure == null)
            {
                _protocol = MqttProtocolVersion.V311;
            }
        }

        if (failure != null)
        {
            throw failure;
        }
    }

    /// <inheritdoc />
    public void Subscribe(string[] topics, MqttQos[] qos)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(qos);
        if (topics.Length != qos.Length || topics.Length == 0)
        {
            throw new ArgumentException("topics and qos must be non-empty and of the same length");
        }

        var builder = new MqttClientSubscribeOptionsBuilder();
        for (int i = 0; i < topics.Length; i++)
        {
            builder.WithTopicFilter(topics[i], ToMqttNet(qos[i]));
        }

        MqttClientSubscribeResult result = Run("subscribe", ct => _client.SubscribeAsync(builder.Build(), ct));
        foreach (MqttClientSubscribeResultItem item in result.Items)
        {
            // MQTT 3.1.1 §3.9.3: 0x80 in SUBACK means the broker refused that filter; MQTT 5 §3.9.3 says why (0x87 not authorized).
            if ((int)item.ResultCode >= 0x80)
            {
                throw new MqttConnectionRefusedException(
                    $"broker {_broker.Endpoint} refused the subscription to '{item.TopicFilter.Topic}': {MqttNetErrors.SubscribeRefusal((int)item.ResultCode, _protocol == MqttProtocolVersion.V500)}");
            }
        }
    }

    /// <inheritdoc />
    public void Publish(string topic, byte[] payload, MqttQos qos, bool retain)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload ?? [])
            .WithQualityOfServiceLevel(ToMqttNet(qos))
            .WithRetainFlag(retain)
            .Build();
        MqttClientPublishResult result = Run("publish to '" + topic + "'", ct => _client.PublishAsync(message, ct));
        if (!result.IsSuccess)
        {
            // MQTT 5 §3.4.2.1: the PUBACK's reason code; mosquitto answers 0x87 when its ACL denies a QoS 1 publish.
            throw new MqttConnectionRefusedException($"broker {_broker.Endpoint} refused the publish to '{topic}': {MqttNetErrors.PublishRefusal((int)result.ReasonCode, result.ReasonString)}");
        }
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            Run("disconnect", async ct =>
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), ct).ConfigureAwait(false);
                return true;
            });
        }
        catch (MqttConnectionException)
        {
            // Already gone: a disconnect that cannot be sent changes nothing.
        }
    }

    /// <summary>Drops the TCP connection without sending DISCONNECT, as a crash or a pulled cable would: the broker publishes the will.</summary>
    public void Abort()
    {
        _client.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Disconnect();
            _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
            _client.Dispose();
        }
    }

    private static MqttQualityOfServiceLevel ToMqttNet(MqttQos qos) => qos switch
    {
        MqttQos.AtMostOnce => MqttQualityOfServiceLevel.AtMostOnce,
        MqttQos.AtLeastOnce => MqttQualityOfServiceLevel.AtLeastOnce,
        MqttQos.ExactlyOnce => MqttQualityOfServiceLevel.ExactlyOnce,
        _ => throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS must be 0, 1 or 2"),
    };

    private T Run<T>(string what, Func<CancellationToken, Task<T>> operation)
    {
        try
        {
            using var cts = new CancellationTokenSource(_settings.Timeout);
            return operation(cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not MqttConnectionException and not ObjectDisposedException and not ArgumentException)
        {
            throw MqttNetErrors.Operation(what, _broker, e, _settings.Timeout);
        }
    }

    // One connect attempt at one MQTT version: null failure on success; else the refusal's code, if the broker answered.
    private MqttClientConnectResultCode? Attempt(MqttConnectOptions options, MqttProtocolVersion version, out MqttConnectionException? failure)
    {
        MqttClientOptions clientOptions = BuildOptions(options, version);
        _refusal = null;
        _tls.Reset();
        failure = null;
        try
        {
            using var cts = new CancellationTokenSource(_settings.Timeout);
            MqttClientConnectResult result = _client.ConnectAsync(clientOptions, cts.Token).GetAwaiter().GetResult();
            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                LastDisconnectReason = null;
                return null;
            }

            failure = new MqttConnectionRefusedException($"broker at {_broker.Endpoint} refused the connection: {MqttNetErrors.Refusal(result.ResultCode)}");
            return result.ResultCode;
        }
        catch (Exception e) when (e is not MqttConnectionException and not ObjectDisposedException)
        {
            failure = MqttNetErrors.Connect(_broker, e, _refusal, _settings.Timeout, _broker.UseTls ? Tls() : null, WrongTransport(e));
            return _refusal?.ResultCode;
        }
        catch (MqttConnectionException e)
        {
            failure = e;
            return null;
        }
    }

    // A connection that failed before any CONNACK may have met the other transport: plain MQTT on a TLS port, or TLS on a
    // plain MQTT port. One short probe of the port says which, so the message can say "use mqtts://" (or "use mqtt://").
    private string? WrongTransport(Exception error)
    {
        if (_refusal != null || MqttNetErrors.IsTimeout(error) || (_broker.UseTls && Tls() != null))
        {
            return null;
        }

        TimeSpan timeout = _settings.Timeout < TimeSpan.FromSeconds(3) ? _settings.Timeout : TimeSpan.FromSeconds(3);
        if (!_broker.UseTls)
        {
            return MqttNetProbe.SpeaksTls(_broker.Host, _broker.Port, timeout)
                ? $"the port answers with TLS: use mqtts://{_broker.Endpoint}" : null;
        }

        return MqttNetProbe.SpeaksPlainMqtt(_broker.Host, _broker.Port, timeout)
            ? $"the port speaks plain MQTT, not TLS: use mqtt://{_broker.Endpoint} (or the broker's TLS port)" : null;
    }

    private MqttClientOptions BuildOptions(MqttConnectOptions options, MqttProtocolVersion version)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_broker.Host, _broker.Port)
            .WithProtocolVersion(version)
            .WithClientId(options.ClientId ?? string.Empty)
            .WithCleanSession(options.CleanSession)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSeconds))
            .WithTimeout(_settings.Timeout);
        if (version == MqttProtocolVersion.V500 && !options.CleanSession)
        {
            // MQTT 5 §3.1.2.11.2: without a Session Expiry Interval the session ends with the connection; 0xFFFFFFFF keeps it
            // as MQTT 3.1.1's CleanSession = 0 does, so QoS 1 requests sent while the agent is away are still delivered.
            builder.WithSessionExpiryInterval(uint.MaxValue);
        }

        if (options.UserName != null)
        {
            builder.WithCredentials(options.UserName, options.Password);
        }

        if (options.WillTopic != null)
        {
            builder.WithWillTopic(options.WillTopic)
                .WithWillPayload(options.WillPayload ?? [])
                .WithWillRetain(options.WillRetain)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        if (_broker.UseTls)
        {
            builder.WithTlsOptions(tls => MqttNetTls.Configure(tls, _broker, _settings, _tls));
        }

        return builder.Build();
    }

    // What a failed TLS connect means: this client refused the broker, or the broker refused this client after its own
    // certificate was accepted (typically no client certificate, or one it does not trust).
    private string? Tls() =>
        _tls.Rejection ?? (_tls.ServerAccepted
            ? _settings.ClientCertificateFile == null
                ? "the broker's certificate was accepted, then the broker closed the connection: it probably requires a client certificate"
                : $"the broker's certificate was accepted, then the broker closed the connection: it probably does not accept the client certificate '{_settings.ClientCertificateFile}' (issued by a CA it does not trust?)"
            : null);

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        MqttApplicationMessage m = e.ApplicationMessage;
        var message = new MqttMessage(m.Topic, m.Payload.ToArray(), (MqttQos)(int)m.QualityOfServiceLevel, m.Dup, m.Retain);
        MessageReceived?.Invoke(this, message);
        return Task.CompletedTask;
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        // MQTTnet also reports failed connect attempts here; only a connection that was up has closed.
        if (!e.ClientWasConnected)
        {
            _refusal = e.ConnectResult; // CONNACK with a refusal code, if the broker answered at all
        }
        else
        {
            LastDisconnectReason = MqttNetErrors.DisconnectReason(e.Reason);
            ConnectionClosed?.Invoke(this, EventArgs.Empty);
        }

        return Task.CompletedTask;
    }
}
