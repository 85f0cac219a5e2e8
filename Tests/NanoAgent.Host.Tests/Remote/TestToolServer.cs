using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace NanoAgent.Host.Tests.Remote;

/// <summary>
/// A test tool (the server side of the GlobalPlatform SE Abstract Communication Layer over TCP/IP) written from the
/// project README alone: messages are a 32-bit big-endian length and an ASCII body; the client's first message is its
/// name; commands are JSON {data, request, timeout}; responses are JSON with a code and description per layer.
/// Listens on loopback only.
/// </summary>
public sealed class TestToolServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private TcpClient? _client;
    private NetworkStream? _stream;

    public TestToolServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Accepts the SE's connection and returns the name it sends first.</summary>
    public string Accept()
    {
        _client = _listener.AcceptTcpClient();
        _stream = _client.GetStream();
        _stream.ReadTimeout = 20_000; // a broken client fails the test instead of hanging it
        return ReadMessage() ?? throw new IOException("the client closed before sending its name");
    }

    /// <summary>Sends a command and reads the response.</summary>
    public JsonElement Request(int request, string data = "", int timeout = 5000)
    {
        SendBody(JsonSerializer.Serialize(new { data, request, timeout }));
        return ReadResponse();
    }

    public JsonElement ReadResponse()
    {
        string body = ReadMessage() ?? throw new IOException("the client closed instead of answering");
        return JsonDocument.Parse(body).RootElement;
    }

    public void SendBody(string body) => SendFrame(Encoding.ASCII.GetBytes(body));

    public void SendFrame(byte[] body)
    {
        byte[] header = [(byte)(body.Length >> 24), (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length];
        _stream!.Write(header);
        _stream.Write(body);
    }

    public void SendRaw(byte[] bytes) => _stream!.Write(bytes);

    /// <summary>Reads one message body, or null when the client closed the connection.</summary>
    public string? ReadMessage()
    {
        byte[] header = new byte[4];
        if (!ReadExactly(header))
        {
            return null;
        }

        int length = (header[0] << 24) | (header[1] << 16) | (header[2] << 8) | header[3];
        byte[] body = new byte[length];
        if (!ReadExactly(body))
        {
            throw new IOException("the client closed inside a message");
        }

        return Encoding.ASCII.GetString(body);
    }

    /// <summary>Closes the tool's end of the connection.</summary>
    public void Hangup() => _client?.Close();

    public void Dispose()
    {
        _client?.Dispose();
        _listener.Stop();
    }

    private bool ReadExactly(byte[] buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = _stream!.Read(buffer, done, buffer.Length - done);
            if (n == 0)
            {
                return false;
            }

            done += n;
        }

        return true;
    }
}
