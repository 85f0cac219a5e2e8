using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.Drivers.T1.Se05x;

namespace NanoAgent.Host.Diag;

/// <summary>
/// An <see cref="IFrameTraceSink"/> that puts the separate bus reads of one frame back together and writes one line per
/// frame: time since the previous frame, hex, and the decoded meaning. Refused reads (I2C NACK, SPI filler) are counted
/// and shown as polls on the next frame instead of one line each.
/// </summary>
public sealed class FrameTraceWriter : IFrameTraceSink, IDisposable
{
    private readonly TextWriter[] _writers;
    private readonly bool _ownsWriters;
    private readonly string _protocol;
    private readonly IFrameCapture[] _captures;
    private readonly byte _seNad;
    private readonly int _header;
    private readonly List<byte> _rx = [];
    private long _previous = -1;
    private int _polls;

    /// <summary>Creates the writer.</summary>
    /// <param name="protocol">"se05x" or "gp".</param>
    /// <param name="ownsWriters">Whether disposing closes the writers.</param>
    /// <param name="writers">Where the lines go (stderr, a file, both).</param>
    public FrameTraceWriter(string protocol, bool ownsWriters, params TextWriter[] writers)
        : this(protocol, ownsWriters, [], writers)
    {
    }

    /// <summary>Creates the writer with captures that also receive every whole frame and every refused transfer.</summary>
    /// <param name="protocol">"se05x" or "gp".</param>
    /// <param name="ownsWriters">Whether disposing closes the writers and the captures.</param>
    /// <param name="captures">Receive each frame (a <see cref="PcapCapture"/>, a <see cref="FrameTimeline"/>); may be empty.</param>
    /// <param name="writers">Where the lines go (none: only the captures).</param>
    public FrameTraceWriter(string protocol, bool ownsWriters, IReadOnlyList<IFrameCapture> captures, params TextWriter[] writers)
    {
        _captures = [.. captures];
        _protocol = protocol;
        _writers = writers;
        _ownsWriters = ownsWriters;
        _seNad = protocol == "gp" ? GpFrameCodec.SeToHostNad : Se05xFrameCodec.NadSeToHost;
        _header = protocol == "gp" ? GpFrameCodec.PrologueLength : Se05xFrameCodec.HeaderLength;
    }

    /// <inheritdoc />
    public void OnTransfer(FrameDirection direction, byte[] buffer, int offset, int count, BusTransferStatus status, long milliseconds)
    {
        if (direction == FrameDirection.HostToSe)
        {
            FlushIncomplete(milliseconds);
            foreach (IFrameCapture capture in _captures)
            {
                if (status == BusTransferStatus.FullTransfer)
                {
                    capture.OnFrame(direction, buffer.AsSpan(offset, count), milliseconds);
                }
                else
                {
                    capture.OnRefused(direction, status, milliseconds);
                }
            }

            Line(milliseconds, status == BusTransferStatus.FullTransfer
                ? Spaced(buffer.AsSpan(offset, count)) + "  " + FrameDecoder.Decode(_protocol, buffer.AsSpan(offset, count))
                : $"host→SE write refused ({Status(status)}): {Spaced(buffer.AsSpan(offset, count))}");
            return;
        }

        if (status != BusTransferStatus.FullTransfer)
        {
            Refused(status, milliseconds);
            if (_rx.Count > 0)
            {
                FlushIncomplete(milliseconds, $" then {Status(status)}");
            }
            else
            {
                _polls++;
            }

            return;
        }

        // A read that does not start with the SE's NAD (SPI filler, an idle 0xFF) is a poll, as the host treats it.
        if (_rx.Count == 0 && (count == 0 || buffer[offset] != _seNad))
        {
            Refused(status, milliseconds);
            _polls++;
            return;
        }

        _rx.AddRange(buffer.AsSpan(offset, count));
        if (_rx.Count >= _header)
        {
            int len = _protocol == "gp" ? (_rx[2] << 8) | _rx[3] : _rx[2];
            if (_rx.Count >= _header + len + 2)
            {
                byte[] frame = [.. _rx];
                _rx.Clear();
                foreach (IFrameCapture capture in _captures)
                {
                    capture.OnFrame(FrameDirection.SeToHost, frame, milliseconds);
                }

                Line(milliseconds, Spaced(frame) + "  " + FrameDecoder.Decode(_protocol, frame) + Polls());
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (TextWriter w in _writers)
        {
            w.Flush();
            if (_ownsWriters)
            {
                w.Dispose();
            }
        }

        if (_ownsWriters)
        {
            foreach (IFrameCapture capture in _captures)
            {
                capture.Dispose();
            }
        }
    }

    private void Refused(BusTransferStatus status, long milliseconds)
    {
        foreach (IFrameCapture capture in _captures)
        {
            capture.OnRefused(FrameDirection.SeToHost, status, milliseconds);
        }
    }

    private void FlushIncomplete(long milliseconds, string why = "")
    {
        if (_rx.Count > 0)
        {
            Line(milliseconds, $"SE→host incomplete frame{why}: {Spaced([.. _rx])}{Polls()}");
            _rx.Clear();
        }
    }

    private string Polls()
    {
        string text = _polls == 0 ? string.Empty : $" (after {_polls} busy poll{(_polls == 1 ? string.Empty : "s")})";
        _polls = 0;
        return text;
    }

    private void Line(long milliseconds, string text)
    {
        long delta = _previous < 0 ? 0 : milliseconds - _previous;
        _previous = milliseconds;
        foreach (TextWriter w in _writers)
        {
            w.WriteLine($"[+{delta,5} ms] {text}");
        }
    }

    private static string Spaced(ReadOnlySpan<byte> bytes)
    {
        string hex = Convert.ToHexString(bytes.Length > FrameDecoder.MaxInfShown + 6 ? bytes[..(FrameDecoder.MaxInfShown + 6)] : bytes);
        string spaced = string.Join(' ', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
        return bytes.Length > FrameDecoder.MaxInfShown + 6 ? spaced + " …" : spaced;
    }

    private static string Status(BusTransferStatus status) => status switch
    {
        BusTransferStatus.AddressNotAcknowledged => "NACK",
        BusTransferStatus.PartialTransfer => "partial transfer",
        BusTransferStatus.ClockStretchTimeout => "clock stretch timeout",
        _ => "bus error",
    };
}
