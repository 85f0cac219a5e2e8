using System.Net.Sockets;
using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Drivers.Host.Links;

/// <summary>A connected TCP socket as a JRCP link (NXP's jrcpv1 connection, <c>smComSocket_linux.c</c>). Owns the socket.</summary>
public sealed class SocketChannel : IJrcpChannel, IDisposable
{
    private readonly Socket _socket;

    /// <summary>Wraps a connected socket.</summary>
    /// <param name="socket">The socket; disposed with the channel.</param>
    public SocketChannel(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
    }

    /// <summary>Connects to a JRCP server.</summary>
    /// <param name="host">The host.</param>
    /// <param name="port">The port.</param>
    /// <returns>The channel.</returns>
    /// <exception cref="SocketException">The server cannot be reached.</exception>
    public static SocketChannel Connect(string host, int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(host, port);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new SocketChannel(socket);
    }

    /// <summary>Gets the peer's address, for logs.</summary>
    public string Peer => _socket.RemoteEndPoint?.ToString() ?? "?";

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        try
        {
            if (!_socket.Poll(Math.Max(1, timeoutMs) * 1000, SelectMode.SelectRead))
            {
                return 0;
            }

            int n = _socket.Receive(buffer, offset, count, SocketFlags.None);
            return n == 0 ? -1 : n;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return -1;
        }
    }

    /// <inheritdoc />
    public bool Write(byte[] buffer, int offset, int count)
    {
        try
        {
            int sent = 0;
            while (sent < count)
            {
                sent += _socket.Send(buffer, offset + sent, count - sent, SocketFlags.None);
            }

            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }
}
