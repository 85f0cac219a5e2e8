using System.Net.Sockets;
using System.Security.Authentication;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Host.Mqtt;

/// <summary>Turns MQTTnet and socket failures into one <see cref="MqttConnectionException"/> with a message a person can act on.</summary>
internal static class MqttNetErrors
{
    internal static MqttConnectionException Connect(MqttBrokerAddress broker, Exception error, MqttClientConnectResult? refusal, TimeSpan timeout, string? tlsFinding = null, string? wrongTransport = null)
    {
        string where = $"broker at {broker.Endpoint}";
        if (error is MqttConnectingFailedException && refusal != null && refusal.ResultCode != MqttClientConnectResultCode.Success)
        {
            return new MqttConnectionRefusedException($"{where} refused the connection: {Refusal(refusal.ResultCode)}", error);
        }

        if (IsTimeout(error))
        {
            return new MqttConnectionException($"cannot reach {where}: no answer within {timeout.TotalSeconds:0.#} s", error);
        }

        if (wrongTransport != null)
        {
            return new MqttConnectionException($"cannot connect to {where}: {wrongTransport}", error);
        }

        if (tlsFinding != null)
        {
            return new MqttConnectionException($"TLS handshake with {where} failed: {tlsFinding}", error);
        }

        if (Find<AuthenticationException>(error) is { } tls)
        {
            return new MqttConnectionException($"TLS handshake with {where} failed: {tls.Message}", error);
        }

        if (Find<SocketException>(error) is { } socket)
        {
            return new MqttConnectionException($"cannot reach {where}: {Describe(socket.SocketErrorCode)}", error);
        }

        return new MqttConnectionException($"cannot reach {where}: {error.Message}", error);
    }

    internal static MqttConnectionException Operation(string what, MqttBrokerAddress broker, Exception error, TimeSpan timeout) => error switch
    {
        OperationCanceledException or MqttCommunicationTimedOutException or TimeoutException =>
            new MqttConnectionException($"{what} on broker {broker.Endpoint} got no answer within {timeout.TotalSeconds:0.#} s", error),
        MqttClientNotConnectedException => new MqttConnectionException($"{what} failed: not connected to broker {broker.Endpoint}", error),
        _ => new MqttConnectionException($"{what} on broker {broker.Endpoint} failed: {error.Message}", error),
    };

    internal static bool IsTimeout(Exception error) => error is OperationCanceledException or MqttCommunicationTimedOutException or TimeoutException;

    // A CONNACK that refuses MQTT 5 itself: 5's 0x84, or a 3.1.1 broker's 0x01 "unacceptable protocol level" read as 5.
    internal static bool RefusesVersion(MqttClientConnectResultCode? code) =>
        code is MqttClientConnectResultCode.UnsupportedProtocolVersion || (int?)code == 0x01;

    // MQTT 3.1.1 §3.2.2.3 return codes 1..5 and MQTT 5.0 §3.2.2.2 reason codes, as MQTTnet maps them.
    internal static string Refusal(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.BadUserNameOrPassword => "bad user name or password",
        MqttClientConnectResultCode.NotAuthorized => "not authorized",
        MqttClientConnectResultCode.ClientIdentifierNotValid =>
            "client identifier not valid (a broker with per-user rules takes only the login's own client ids: docs/broker-security.md)",
        MqttClientConnectResultCode.UnsupportedProtocolVersion => "unsupported protocol version",
        MqttClientConnectResultCode.ServerUnavailable => "server unavailable",
        MqttClientConnectResultCode.Banned => "banned",
        _ => "reason code " + ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // MQTT 5 §3.4.2.1 PUBACK reason codes (an MQTT 3.1.1 PUBACK has none: the broker drops a refused publish silently).
    internal static string PublishRefusal(int code, string? reasonString) => (code switch
    {
        0x87 => "not authorized (the login may not write this topic)",
        0x80 => "unspecified error",
        0x83 => "implementation specific error",
        0x90 => "topic name invalid",
        0x97 => "quota exceeded",
        0x99 => "payload format invalid",
        _ => "reason code 0x" + code.ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
    }) + (string.IsNullOrEmpty(reasonString) ? string.Empty : $" ({reasonString})");

    // MQTT 5 §3.9.3 SUBACK reason codes; MQTT 3.1.1 §3.9.3 knows only 0x80 Failure, which brokers send for a filter the login may not read.
    internal static string SubscribeRefusal(int code, bool mqtt5) => code switch
    {
        0x87 => "not authorized (the login may not read this topic)",
        0x80 when !mqtt5 => "not authorized (SUBACK 0x80 failure: the login may not read this topic)",
        0x80 => "unspecified error (SUBACK 0x80)",
        0x8F => "topic filter invalid",
        0x97 => "quota exceeded",
        0xA2 => "wildcard subscriptions not supported",
        _ => "reason code 0x" + code.ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
    };

    // MQTT 5 §3.14.2.1: why the broker closed a connection that was up, for the reasons it states on purpose (null otherwise:
    // MQTTnet reports a dropped socket with a generic code).
    internal static string? DisconnectReason(MqttClientDisconnectReason reason) => reason switch
    {
        MqttClientDisconnectReason.SessionTakenOver => "session taken over: another connection logged in with the same client id",
        MqttClientDisconnectReason.NotAuthorized => "not authorized",
        MqttClientDisconnectReason.ServerShuttingDown => "broker shutting down",
        MqttClientDisconnectReason.AdministrativeAction => "closed by the broker's administrator",
        _ => null,
    };

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "host not found",
        SocketError.TryAgain => "host name lookup failed (try again)",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.TimedOut => "connection timed out",
        SocketError.ConnectionReset => "connection reset by the broker",
        _ => "socket error " + error.ToString(),
    };

    private static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (; error != null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }

            if (error is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
            {
                return Find<T>(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }
}
