using NanoAgent.Drivers.Apdu;

namespace NanoAgent.VirtualSe.Tests.Rotation;

/// <summary>Thrown by <see cref="FaultTransport"/> where power is cut.</summary>
internal sealed class PowerCutException() : Exception("power cut");

/// <summary>
/// Sits between the APDU channel and T=1: counts APDUs, cuts power before or after a chosen one (the answer is lost), and
/// tampers with the next command or response on request.
/// </summary>
internal sealed class FaultTransport(IApduTransport inner) : IApduTransport
{
    private byte[]? _lastCommand;

    public int Count { get; private set; }

    /// <summary>Index of the APDU at which power is cut, or -1.</summary>
    public int CutAt { get; set; } = -1;

    /// <summary>True: the APDU at <see cref="CutAt"/> reaches the card and its answer is lost. False: it never leaves.</summary>
    public bool CutAfterSend { get; set; }

    /// <summary>Changes the next command before it is sent.</summary>
    public Func<byte[], byte[]>? TamperNextCommand { get; set; }

    /// <summary>Changes the next response before the host sees it.</summary>
    public Func<byte[], byte[]>? TamperNextResponse { get; set; }

    /// <summary>Sends the previous command again instead of the next one (a replay: stale counter and MAC chaining).</summary>
    public bool ReplayNext { get; set; }

    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
    {
        byte[] cmd = command.AsSpan(commandOffset, commandCount).ToArray();
        if (ReplayNext && _lastCommand is not null)
        {
            ReplayNext = false;
            cmd = _lastCommand;
        }

        if (TamperNextCommand is { } tamper)
        {
            TamperNextCommand = null;
            cmd = tamper(cmd);
        }

        _lastCommand = cmd;
        if (Count++ == CutAt)
        {
            if (CutAfterSend)
            {
                inner.Transceive(cmd, 0, cmd.Length, new byte[70000], 0);
            }

            throw new PowerCutException();
        }

        int n = inner.Transceive(cmd, 0, cmd.Length, response, responseOffset);
        if (TamperNextResponse is { } tamperResponse)
        {
            TamperNextResponse = null;
            byte[] changed = tamperResponse(response.AsSpan(responseOffset, n).ToArray());
            changed.CopyTo(response, responseOffset);
            return changed.Length;
        }

        return n;
    }
}
