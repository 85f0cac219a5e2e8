using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Host.Diag;

/// <summary>
/// Records the frames of a run (from <see cref="FrameTraceWriter"/>) as marks for the <c>diag --html</c> timeline: each
/// frame classified, retries (an R-block asking for a retransmission, an S request sent again because its answer never
/// arrived intact, an I-block with a repeated N(S)) and corrupt frames
/// told apart, and runs of refused transfers (NACKs) or busy reads folded into one mark with a count.
/// </summary>
public sealed class FrameTimeline : IFrameCapture
{
    private readonly List<TimelineEvent> _events = [];
    private readonly string _protocol;
    private readonly int _limit;
    private readonly int[] _lastNs = [-1, -1];
    private int _openSRequest = -1;

    /// <summary>Creates an empty timeline.</summary>
    /// <param name="protocol">"se05x" or "gp".</param>
    /// <param name="limit">The most marks kept; later ones are counted in <see cref="Dropped"/>.</param>
    public FrameTimeline(string protocol, int limit = 5000)
    {
        _protocol = protocol;
        _limit = limit;
    }

    /// <summary>Gets the marks in the order they happened.</summary>
    public IReadOnlyList<TimelineEvent> Events => _events;

    /// <summary>Gets how many marks did not fit under the limit.</summary>
    public int Dropped { get; private set; }

    /// <summary>Adds a note, such as a bus speed change.</summary>
    /// <param name="milliseconds">The trace clock.</param>
    /// <param name="text">What it says.</param>
    public void Mark(long milliseconds, string text)
    {
        _openSRequest = -1; // a new phase (a speed change) starts its own exchanges
        Add(new TimelineEvent(milliseconds, TimelineEventKind.Marker, FrameDirection.HostToSe, text, text, 1));
    }

    /// <inheritdoc />
    public void OnFrame(FrameDirection direction, ReadOnlySpan<byte> frame, long milliseconds)
    {
        string detail = FrameDecoder.Decode(_protocol, frame);
        if (!FrameDecoder.IsIntact(_protocol, frame))
        {
            Add(new TimelineEvent(milliseconds, TimelineEventKind.Corrupt, direction, "corrupt", detail, 1));
            return;
        }

        byte pcb = frame[1];
        string label = FrameDecoder.Pcb(_protocol == "gp", pcb);
        int d = direction == FrameDirection.HostToSe ? 0 : 1;
        TimelineEventKind kind;
        if (T1Pcb.IsIBlock(pcb))
        {
            int ns = (pcb >> 6) & 1;
            kind = ns == _lastNs[d] ? TimelineEventKind.Retry : TimelineEventKind.Information;
            _lastNs[d] = ns;
            EndSRequest(d);
        }
        else if (T1Pcb.IsRBlock(pcb))
        {
            kind = (pcb & 0x0F) != 0 ? TimelineEventKind.Retry : TimelineEventKind.ReceiveReady;
            EndSRequest(d);
        }
        else
        {
            int type = pcb & 0x1F;
            bool request = (pcb & 0x20) == 0;
            kind = TimelineEventKind.Supervisory;
            if (request && d == 0)
            {
                if (pcb == _openSRequest)
                {
                    kind = TimelineEventKind.Retry; // the same S request again: its answer never arrived intact
                }

                _openSRequest = pcb;
            }
            else if (!request && d == 1)
            {
                _openSRequest = -1;
            }

            if (type is 0x00 or 0x06 or 0x0F)
            {
                _lastNs[0] = _lastNs[1] = -1;
            }
        }

        Add(new TimelineEvent(milliseconds, kind, direction, label, detail, 1));
    }

    /// <inheritdoc />
    public void OnRefused(FrameDirection direction, BusTransferStatus status, long milliseconds)
    {
        TimelineEventKind kind = status == BusTransferStatus.FullTransfer ? TimelineEventKind.Busy : TimelineEventKind.Nack;
        if (_events.Count > 0 && _events[^1] is { } last && last.Kind == kind && last.Direction == direction && Dropped == 0)
        {
            int count = last.Count + 1;
            _events[^1] = last with { Count = count, Label = Word(kind, status) + " ×" + count };
            return;
        }

        string word = Word(kind, status);
        string where = direction == FrameDirection.HostToSe ? "host→SE write" : "SE→host read";
        Add(new TimelineEvent(milliseconds, kind, direction, word, $"{where}: {word}", 1));
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static string Word(TimelineEventKind kind, BusTransferStatus status) => kind == TimelineEventKind.Busy ? "busy" : status switch
    {
        BusTransferStatus.AddressNotAcknowledged => "NACK",
        BusTransferStatus.ClockStretchTimeout => "clock stretch timeout",
        BusTransferStatus.PartialTransfer => "partial transfer",
        _ => "bus error",
    };

    /// <summary>A host I- or R-block means the host moved on from its last S request.</summary>
    private void EndSRequest(int direction)
    {
        if (direction == 0)
        {
            _openSRequest = -1;
        }
    }

    private void Add(TimelineEvent e)
    {
        if (_events.Count >= _limit)
        {
            Dropped++;
            return;
        }

        _events.Add(e);
    }
}
