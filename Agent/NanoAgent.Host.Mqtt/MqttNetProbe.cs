using System.Net.Security;
using System.Net.Sockets;

namespace NanoAgent.Host.Mqtt;

/// <summary>
/// One short look at a broker port after a connection failed before any CONNACK: does it answer a TLS ClientHello with a
/// certificate (a TLS listener met with plain MQTT), or an MQTT CONNECT with a CONNACK (a plain listener met with TLS)?
/// Used only to word the error; every failure of the probe itself means "no".
/// </summary>
internal static class MqttNetProbe
{
    // MQTT 3.1.1 §3.1: CONNECT, remaining length 12, "MQTT", level 4, clean session, keep-alive 60 s, empty client id
    // (§3.1.3.1: the broker assigns one or refuses with CONNACK 0x02; either way it answers with a CONNACK).
    private static readonly byte[] Connect = [0x10, 0x0C, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00];

    /// <summary>Tells whether the port completes a TLS handshake far enough to show a certificate.</summary>
    /// <param name="host">The host.</param>
    /// <param name="port">The port.</param>
    /// <param name="timeout">How long the whole probe may take.</param>
    /// <returns>True when a certificate came back.</returns>
    internal static bool SpeaksTls(string host, int port, TimeSpan timeout)
    {
        bool sawCertificate = false;
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            using var tcp = new TcpClient();
            tcp.ConnectAsync(host, port, cts.Token).AsTask().GetAwaiter().GetResult();
            using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
            {
                sawCertificate = certificate != null;
                return false; // seen is enough: never go on with an unverified peer
            });
            tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // The expected end: the handshake is abandoned (or the port is not TLS).
        }

        return sawCertificate;
    }

    /// <summary>Tells whether the port answers an MQTT 3.1.1 CONNECT with a CONNACK.</summary>
    /// <param name="host">The host.</param>
    /// <param name="port">The port.</param>
    /// <param name="timeout">How long the whole probe may take.</param>
    /// <returns>True when the first byte back is a CONNACK's (0x20).</returns>
    internal static bool SpeaksPlainMqtt(string host, int port, TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            using var tcp = new TcpClient();
            tcp.ConnectAsync(host, port, cts.Token).AsTask().GetAwaiter().GetResult();
            NetworkStream stream = tcp.GetStream();
            stream.WriteAsync(Connect, cts.Token).AsTask().GetAwaiter().GetResult();
            byte[] first = new byte[1];
            int read = stream.ReadAsync(first, cts.Token).AsTask().GetAwaiter().GetResult();
            return read == 1 && first[0] == 0x20;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
