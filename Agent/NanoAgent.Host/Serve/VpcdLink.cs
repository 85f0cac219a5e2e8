using System.Net.Sockets;
using NanoAgent.Drivers.Host.Links;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Host.Serve;

/// <summary>
/// The PC/SC front end: the card side of vsmartcard's virtual reader. pcscd's vpcd driver listens (default port 35963,
/// <c>VPCDPORT</c> in vsmartcard <c>virtualsmartcard/src/vpcd/vpcd.h</c>) and this link connects to it, then answers
/// its messages: a two-byte big-endian length and that many bytes (vpcd.c <c>sendToVICC</c>/<c>recvFromVICC</c>); a
/// one-byte message is a control, 0 power off, 1 power on, 2 reset (no answer) or 4 "send the ATR" (vpcd.h
/// <c>VPCD_CTRL_*</c>); anything longer is a command APDU answered with the response APDU. vpcd asks for the ATR to
/// poll the card's presence, so the ATR answer touches the SE only when it is not activated. A lost connection (pcscd
/// restarted) is re-made every second until <see cref="Stop"/>.
/// </summary>
public sealed class VpcdLink
{
    private const byte PowerOff = 0;
    private const byte PowerOn = 1;
    private const byte Reset = 2;
    private const byte GetAtr = 4;
    private const int LockWaitMs = 5000;

    private readonly ServedSe _se;
    private readonly ServeAddress _address;
    private readonly ServeLog _log;
    private readonly byte[] _message = new byte[2 + 0xFFFF];
    private readonly byte[] _response = new byte[2 + 65538];
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    /// <summary>Creates the link.</summary>
    /// <param name="se">The SE.</param>
    /// <param name="address">vpcd's address.</param>
    /// <param name="log">Where events go.</param>
    public VpcdLink(ServedSe se, ServeAddress address, ServeLog log)
    {
        _se = se;
        _address = address;
        _log = log;
    }

    /// <summary>Gets how many APDUs were answered.</summary>
    public int Apdus { get; private set; }

    /// <summary>Starts serving on a thread of its own.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "vpcd" };
        _thread.Start();
    }

    /// <summary>Stops serving and waits for the thread.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _thread?.Join(5000);
    }

    private void Run()
    {
        bool waitingSaid = false;
        while (!_stop.IsCancellationRequested)
        {
            SocketChannel channel;
            try
            {
                channel = SocketChannel.Connect(_address.Host, _address.Port);
            }
            catch (SocketException e)
            {
                if (!waitingSaid)
                {
                    _log.Line($"vpcd: waiting for pcscd's vpcd reader at {_address} ({e.Message})");
                    waitingSaid = true;
                }

                _stop.Token.WaitHandle.WaitOne(1000);
                continue;
            }

            using (channel)
            {
                waitingSaid = false;
                _log.Line($"vpcd: connected to {_address}: the SE is a card in pcscd's virtual reader");
                string why = Serve(channel);
                if (!_stop.IsCancellationRequested)
                {
                    _log.Line($"vpcd: {why}; reconnecting");
                }
            }
        }
    }

    private string Serve(SocketChannel channel)
    {
        while (!_stop.IsCancellationRequested)
        {
            int got = ReadFully(channel, _message, 0, 2);
            if (got < 2)
            {
                return "vpcd closed the connection";
            }

            int length = (_message[0] << 8) | _message[1];
            if (ReadFully(channel, _message, 2, length) < length)
            {
                return $"vpcd closed the connection in the middle of a {length}-byte message";
            }

            if (length == 0)
            {
                _log.Line("vpcd: an empty message (no size): ignored");
                continue;
            }

            int answer = length == 1 ? Control(_message[2]) : Apdu(length);
            if (answer >= 0 && !channel.Write(_response, 0, 2 + answer))
            {
                return "the connection broke while answering";
            }
        }

        return "stopped";
    }

    // Returns the answer's length in _response after its two length bytes, or -1 for no answer.
    private int Control(byte control)
    {
        if (control != PowerOff && control != PowerOn && control != Reset && control != GetAtr)
        {
            _log.Line($"vpcd: unknown control byte {control:X2}: ignored");
            return -1;
        }

        if (!_se.Lock.TryEnter(this, LockWaitMs))
        {
            _log.Line($"vpcd: the SE stayed busy for {LockWaitMs} ms: control {control:X2} not done");
            return control == GetAtr ? Frame(_se.LastIsoAtr ?? []) : -1;
        }

        try
        {
            switch (control)
            {
                case GetAtr:
                    return Frame(_se.ReadIsoAtr() ?? []);
                case PowerOn:
                    _se.PowerOn();
                    break;
                case Reset:
                    _se.Reset();
                    break;
                default:
                    _se.PowerOff();
                    break;
            }
        }
        catch (BlockProtocolException e)
        {
            _log.Line($"vpcd: {(control == PowerOn ? "power on" : control == Reset ? "reset" : "power off")} failed: {e.Message}");
        }
        finally
        {
            _se.Lock.Exit(this);
        }

        return -1;
    }

    private int Apdu(int length)
    {
        if (!_se.Lock.TryEnter(this, LockWaitMs))
        {
            // vpcd has no error message: an empty answer makes it drop the card (vpcd.c vicc_transmit ejects on 0 bytes).
            _log.Line($"vpcd: the SE stayed busy for {LockWaitMs} ms: APDU not sent, the card is dropped");
            return Frame([]);
        }

        try
        {
            int n = _se.Transmit(_message, 2, length, _response, 2);
            if (n > 0xFFFF)
            {
                _log.Line($"vpcd: a response of {n} bytes does not fit vpcd's 16-bit length: the card is dropped");
                return Frame([]);
            }

            Apdus++;
            return Frame(n);
        }
        catch (BlockProtocolException e)
        {
            _log.Line($"vpcd: the SE link failed ({e.Message}): the card is dropped until it answers again");
            return Frame([]);
        }
        finally
        {
            _se.Lock.Exit(this);
        }
    }

    private int Frame(byte[] payload)
    {
        payload.CopyTo(_response, 2);
        return Frame(payload.Length);
    }

    private int Frame(int length)
    {
        _response[0] = (byte)(length >> 8);
        _response[1] = (byte)length;
        return length;
    }

    private int ReadFully(SocketChannel channel, byte[] buffer, int offset, int count)
    {
        int done = 0;
        while (done < count)
        {
            if (_stop.IsCancellationRequested)
            {
                return -2;
            }

            int n = channel.Read(buffer, offset + done, count - done, 200);
            if (n < 0)
            {
                return done == 0 && count > 0 ? -1 : done;
            }

            done += n;
        }

        return done;
    }
}
