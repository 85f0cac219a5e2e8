using System.Net;
using System.Net.Sockets;

namespace NanoAgent.Host.Mqtt.Tests.Brokers;

/// <summary>
/// A broker that speaks MQTT 3.1.1 only, made of a real broker behind a gate: a CONNECT at protocol level 4 (or 3) is passed
/// through byte for byte; a level-5 CONNECT is answered as a broker without MQTT 5 answers it and the connection closed:
/// <see cref="Answer.Mqtt311ConnAck"/> sends MQTT 3.1.1 §3.2.2.3's CONNACK 0x01 "unacceptable protocol version"
/// (<c>20 02 00 01</c>, what mosquitto 1.x sends), <see cref="Answer.Mqtt5ConnAck"/> MQTT 5's 0x84 "unsupported protocol
/// version" (<c>20 03 00 84 00</c>, MQTT 5 §3.2.2.2). mosquitto 2.0 has no setting that turns MQTT 5 off.
/// </summary>
public sealed class Mqtt311OnlyProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly MqttBrokerAddress _upstream;
    private readonly Answer _answer;
    private readonly CancellationTokenSource _stop = new();
    private int _refused;

    /// <summary>Starts listening on a free loopback port.</summary>
    /// <param name="upstream">The real broker (plain MQTT).</param>
    /// <param name="answer">How a level-5 CONNECT is refused.</param>
    public Mqtt311OnlyProxy(MqttBrokerAddress upstream, Answer answer = Answer.Mqtt311ConnAck)
    {
        _upstream = upstream;
        _answer = answer;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>How an MQTT 5 CONNECT is refused.</summary>
    public enum Answer
    {
        /// <summary>MQTT 3.1.1's CONNACK return code 0x01.</summary>
        Mqtt311ConnAck,

        /// <summary>MQTT 5's CONNACK reason code 0x84.</summary>
        Mqtt5ConnAck,
    }

    /// <summary>Gets the address clients connect to.</summary>
    public MqttBrokerAddress Address => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port, useTls: false);

    /// <summary>Gets how many MQTT 5 CONNECTs were refused.</summary>
    public int RefusedMqtt5 => Volatile.Read(ref _refused);

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream downstream = client.GetStream();
                byte[] connect = await ReadPacketAsync(downstream).ConfigureAwait(false);
                int h = HeaderLength(connect);
                int nameLength = (connect[h] << 8) | connect[h + 1];
                byte level = connect[h + 2 + nameLength]; // after the protocol name, MQTT 3.1.1 §3.1.2.1-2
                if (level == 5)
                {
                    Interlocked.Increment(ref _refused);
                    byte[] refusal = _answer == Answer.Mqtt311ConnAck ? [0x20, 0x02, 0x00, 0x01] : [0x20, 0x03, 0x00, 0x84, 0x00];
                    await downstream.WriteAsync(refusal, _stop.Token).ConfigureAwait(false);
                    return;
                }

                using var upstream = new TcpClient();
                await upstream.ConnectAsync(_upstream.Host, _upstream.Port, _stop.Token).ConfigureAwait(false);
                NetworkStream up = upstream.GetStream();
                await up.WriteAsync(connect, _stop.Token).ConfigureAwait(false);
                Task a = downstream.CopyToAsync(up, _stop.Token);
                Task b = up.CopyToAsync(downstream, _stop.Token);
                await Task.WhenAny(a, b).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or IndexOutOfRangeException)
            {
                // A client or the broker went away: the connection ends, as with a real broker.
            }
        }
    }

    // The fixed header's length: one type byte and 1 to 4 remaining-length bytes (MQTT 3.1.1 §2.2.3).
    private static int HeaderLength(byte[] packet)
    {
        int i = 1;
        while ((packet[i] & 0x80) != 0)
        {
            i++;
        }

        return i + 1;
    }

    private static async Task<byte[]> ReadPacketAsync(NetworkStream stream)
    {
        var header = new List<byte>();
        byte[] one = new byte[1];
        await stream.ReadExactlyAsync(one).ConfigureAwait(false);
        header.Add(one[0]);
        int remaining = 0;
        for (int shift = 0; ; shift += 7)
        {
            await stream.ReadExactlyAsync(one).ConfigureAwait(false);
            header.Add(one[0]);
            remaining |= (one[0] & 0x7F) << shift;
            if ((one[0] & 0x80) == 0 || shift >= 21)
            {
                break;
            }
        }

        byte[] body = new byte[remaining];
        await stream.ReadExactlyAsync(body).ConfigureAwait(false);
        return [.. header, .. body];
    }
}
