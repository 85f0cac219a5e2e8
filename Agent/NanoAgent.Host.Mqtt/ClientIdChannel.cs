using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace NanoAgent.Host.Mqtt;

/// <summary>
/// A client's channel into the embedded broker that gives an MQTT 3.1.1 clean-session CONNECT with an empty client id one of
/// its own before the broker sees it (MQTT 3.1.1 §3.1.3.1: "the Server MUST ... assign a unique ClientId"), which
/// MQTTnet.Server does only for MQTT 5. Everything else passes through untouched.
/// </summary>
internal sealed class ClientIdChannel : IMqttChannelAdapter
{
    private readonly IMqttChannelAdapter _inner;
    private readonly Func<string?, string> _assign;
    private int _packets;

    /// <summary>Wraps a channel.</summary>
    /// <param name="inner">The broker's channel.</param>
    /// <param name="assign">Makes a client id for the CONNECT's user name.</param>
    internal ClientIdChannel(IMqttChannelAdapter inner, Func<string?, string> assign)
    {
        _inner = inner;
        _assign = assign;
    }

    public long BytesReceived => _inner.BytesReceived;

    public long BytesSent => _inner.BytesSent;

    public X509Certificate2 ClientCertificate => _inner.ClientCertificate;

    public EndPoint RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    public bool IsSecureConnection => _inner.IsSecureConnection;

    public MqttPacketFormatterAdapter PacketFormatterAdapter => _inner.PacketFormatterAdapter;

    public Task ConnectAsync(CancellationToken cancellationToken) => _inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => _inner.DisconnectAsync(cancellationToken);

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        MqttPacket packet = await _inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Increment(ref _packets) == 1 && packet is MqttConnectPacket { CleanSession: true } connect
            && string.IsNullOrEmpty(connect.ClientId) && _inner.PacketFormatterAdapter.ProtocolVersion == MqttProtocolVersion.V311)
        {
            // §3.1.3-8: with CleanSession 0 an empty id stays empty, and the broker refuses it (CONNACK 0x02).
            connect.ClientId = _assign(connect.Username);
        }

        return packet;
    }

    public void ResetStatistics() => _inner.ResetStatistics();

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => _inner.SendPacketAsync(packet, cancellationToken);

    public void Dispose() => _inner.Dispose();
}
