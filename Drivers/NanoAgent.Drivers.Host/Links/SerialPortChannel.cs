using System.IO.Ports;
using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Drivers.Host.Links;

/// <summary>
/// A serial port (a board's USB serial device such as /dev/ttyACM0, or one end of a pseudo-terminal pair) as a JRCP
/// link, through System.IO.Ports: 115200 8N1, raw, as NXP's VCOM client sets its port (<c>smComSerial_PCLinux.c</c>:
/// <c>B115200</c>, <c>CS8</c>, <c>IGNPAR</c>; a USB CDC device ignores the rate). NXP's client also asks for RTS/CTS flow
/// control (<c>CRTSCTS</c>); this end asks for none: a pseudo-terminal has no such lines, and a board's line is wired as
/// docs/remote-test-tool.md ("NXP's VCOM client") says. Opening discards what is waiting on the line (an answer to a client
/// that went away), so a run always starts in step. The same <c>SerialPort</c> API (Read with <c>ReadTimeout</c> and
/// <see cref="TimeoutException"/>, Write) is what the firmware's adapter uses on nanoFramework.
/// </summary>
public sealed class SerialPortChannel : IJrcpChannel, IDisposable
{
    private readonly SerialPort _port;
    private readonly object _readGate = new();
    private bool _broken;

    private SerialPortChannel(SerialPort port) => _port = port;

    /// <summary>Gets the port's path.</summary>
    public string PortName => _port.PortName;

    /// <summary>Opens a serial port.</summary>
    /// <param name="path">The device, e.g. /dev/ttyACM0.</param>
    /// <param name="baudRate">The rate.</param>
    /// <returns>The open channel.</returns>
    /// <exception cref="IOException">The port does not exist or cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission (the user is not in the dialout group).</exception>
    public static SerialPortChannel Open(string path, int baudRate = 115200)
    {
        var port = new SerialPort(path, baudRate, Parity.None, 8, StopBits.One) { Handshake = Handshake.None, WriteTimeout = 5000 };
        try
        {
            port.Open();
        }
        catch
        {
            port.Dispose();
            throw;
        }

        port.DiscardInBuffer();
        return new SerialPortChannel(port);
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        lock (_readGate)
        {
            if (_broken)
            {
                return -1;
            }

            try
            {
                _port.ReadTimeout = Math.Max(1, timeoutMs);
                return _port.Read(buffer, offset, count);
            }
            catch (TimeoutException)
            {
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                _broken = true;
                return -1;
            }
        }
    }

    /// <inheritdoc />
    public bool Write(byte[] buffer, int offset, int count)
    {
        try
        {
            _port.Write(buffer, offset, count);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _port.Dispose();
}
