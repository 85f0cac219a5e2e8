using System.Net;
using System.Net.Sockets;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Host.Links;
using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Host.Serve;

/// <summary>
/// The JRCP v1 front end over TCP: what NXP's middleware reaches with its jrcpv1 connection (<c>smComSocket_linux.c</c>)
/// and NXP's own access manager serves (<c>accessManager.c</c>). One thread per client, at most
/// <see cref="MaxClients"/> at once; each runs a portable <see cref="JrcpSession"/> on the shared SE and lock.
/// </summary>
public sealed class JrcpServer
{
    /// <summary>The most clients served at once; more are closed at once with a log line.</summary>
    public const int MaxClients = 8;

    private readonly ServedSe _se;
    private readonly ServeLog _log;
    private readonly TcpListener _listener;
    private readonly List<JrcpSession> _sessions = [];
    private readonly CancellationTokenSource _stop = new();
    private Thread? _accept;

    /// <summary>Creates the server (not listening yet).</summary>
    /// <param name="se">The SE.</param>
    /// <param name="address">Where to listen.</param>
    /// <param name="log">Where events go.</param>
    /// <exception cref="FormatException">The host is not an address to listen on.</exception>
    public JrcpServer(ServedSe se, ServeAddress address, ServeLog log)
    {
        _se = se;
        _log = log;
        _listener = new TcpListener(address.ListenAddress(), address.Port);
    }

    /// <summary>Gets the session options (TCP: CLOSE ends a session; responses up to 65535 bytes).</summary>
    public JrcpServerOptions Options { get; } = new() { MaxResponse = JrcpFraming.MaxLength };

    /// <summary>Gets the address listened on (with the port picked when 0 was asked).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Starts listening and accepting.</summary>
    /// <exception cref="SocketException">The address is in use or cannot be bound.</exception>
    public void Start()
    {
        _listener.Start();
        _accept = new Thread(Accept) { IsBackground = true, Name = "jrcp-accept" };
        _accept.Start();
    }

    /// <summary>Stops accepting, ends every session, and waits for the accept thread.</summary>
    public void Stop()
    {
        _stop.Cancel();
        lock (_sessions)
        {
            foreach (JrcpSession session in _sessions)
            {
                session.Stop();
            }
        }

        _listener.Stop();
        _accept?.Join(5000);
    }

    private void Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                if (!_listener.Server.Poll(200_000, SelectMode.SelectRead))
                {
                    continue;
                }

                socket = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var channel = new SocketChannel(socket);
            int count;
            lock (_sessions)
            {
                count = _sessions.Count;
            }

            if (count >= MaxClients)
            {
                _log.Line($"jrcp {channel.Peer}: refused, {MaxClients} clients are served already");
                channel.Dispose();
                continue;
            }

            new Thread(() => Serve(channel)) { IsBackground = true, Name = "jrcp-client" }.Start();
        }
    }

    private void Serve(SocketChannel channel)
    {
        string peer = channel.Peer;
        var session = new JrcpSession(channel, _se, _se.Lock, SystemClock.Instance, Options, _log.For("jrcp " + peer));
        lock (_sessions)
        {
            _sessions.Add(session);
        }

        _log.Line($"jrcp {peer}: connected");
        try
        {
            JrcpSessionEnd end = session.Run();
            _log.Line($"jrcp {peer}: {(end == JrcpSessionEnd.ClientClosed ? "closed" : end == JrcpSessionEnd.Stopped ? "stopped" : "disconnected")} after {session.Answered} message(s)");
        }
        finally
        {
            lock (_sessions)
            {
                _sessions.Remove(session);
            }

            channel.Dispose();
        }
    }
}
