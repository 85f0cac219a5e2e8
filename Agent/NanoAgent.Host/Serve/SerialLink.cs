using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Host.Links;
using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Host.Serve;

/// <summary>
/// The board link served from a PC: the same portable <see cref="JrcpSession"/> the firmware runs on its serial port,
/// here on a serial device of this host (a USB serial adapter, or one end of a pseudo-terminal pair in the tests).
/// The port stays open across clients (CLOSE does not end the session); if it breaks it is opened again every second.
/// </summary>
public sealed class SerialLink
{
    private readonly ServedSe _se;
    private readonly string _path;
    private readonly ServeLog _log;
    private readonly CancellationTokenSource _stop = new();
    private SerialPortChannel _channel;
    private JrcpSession? _session;
    private Thread? _thread;

    /// <summary>Opens the port.</summary>
    /// <param name="se">The SE.</param>
    /// <param name="path">The serial device.</param>
    /// <param name="log">Where events go.</param>
    /// <exception cref="IOException">The port cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission on the port.</exception>
    public SerialLink(ServedSe se, string path, ServeLog log)
    {
        _se = se;
        _path = path;
        _log = log;
        _channel = SerialPortChannel.Open(path);
    }

    /// <summary>Gets the session options (serial: CLOSE keeps the port open for the next client).</summary>
    public JrcpServerOptions Options { get; } = new() { CloseEndsSession = false };

    /// <summary>Starts serving on a thread of its own.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "board-link" };
        _thread.Start();
    }

    /// <summary>Stops serving and closes the port.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _session?.Stop();
        _thread?.Join(5000);
        _channel.Dispose();
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            _session = new JrcpSession(_channel, _se, _se.Lock, SystemClock.Instance, Options, _log.For("board link " + _path));
            if (_session.Run() != JrcpSessionEnd.LinkClosed || _stop.IsCancellationRequested)
            {
                return;
            }

            _log.Line($"board link {_path}: the port broke; opening it again");
            _channel.Dispose();
            while (!_stop.Token.WaitHandle.WaitOne(1000))
            {
                try
                {
                    _channel = SerialPortChannel.Open(_path);
                    break;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                }
            }
        }
    }
}
