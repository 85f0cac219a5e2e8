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
    internal static MqttConnectionException Connect(MqttBrokerAddress broker, Exception error, MqttClientConnectResult? refusal, TimeSpan timeout, string? tlsFinding = null)
    {
        string where = $"broker at {broker.Endpoint}";
        switch (error)
        {
            case MqttConnectingFailedException when refusal != null && refusal.ResultCode != MqttClientConnectResultCode.Success:
                return new MqttConnectionRefusedException($"{where} refused the connection: {Refusal(refusal.ResultCode)}", error);
            case OperationCanceledException or MqttCommunicationTimedOutException or TimeoutException:
                return new MqttConnectionException($"cannot reach {where}: no answer within {timeout.TotalSeconds:0.#} s", error);
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

    // MQTT 3.1.1 §3.2.2.3 return codes 1..5 and MQTT 5.0 §3.2.2.2 reason codes, as MQTTnet maps them.
    internal static string Refusal(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.BadUserNameOrPassword => "bad user name or password",
        MqttClientConnectResultCode.NotAuthorized => "not authorized",
        MqttClientConnectResultCode.ClientIdentifierNotValid => "client identifier not valid",
        MqttClientConnectResultCode.UnsupportedProtocolVersion => "unsupported protocol version",
        MqttClientConnectResultCode.ServerUnavailable => "server unavailable",
        MqttClientConnectResultCode.Banned => "banned",
        _ => "reason code " + ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
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
