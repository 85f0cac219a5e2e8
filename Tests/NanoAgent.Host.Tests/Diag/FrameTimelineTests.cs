using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Diag;
using NanoAgent.Host.Tests.Wireshark;

namespace NanoAgent.Host.Tests.Diag;

/// <summary>The marks of the <c>diag --html</c> timeline: frames classified, retries, corrupt frames and refused transfers told apart.</summary>
public sealed class FrameTimelineTests
{
    [Fact]
    public void OnFrame_ClassifiesBlocksAndRetries()
    {
        var timeline = new FrameTimeline("se05x");
        timeline.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0xCF), 0);              // S(soft reset) request
        byte[] corrupt = T1Frames.Se05x(0xA5, 0xEF, "00");
        corrupt[^1] ^= 1;
        timeline.OnFrame(FrameDirection.SeToHost, corrupt, 1);                                  // its answer, CRC wrong
        timeline.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0xCF), 2);              // asked again: a retry
        timeline.OnFrame(FrameDirection.SeToHost, T1Frames.Se05x(0xA5, 0xEF, "00"), 3);
        timeline.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0x00, "00A4040000"), 4);
        timeline.OnFrame(FrameDirection.SeToHost, T1Frames.Se05x(0xA5, 0x81), 5);              // R(0) CRC error: the SE asks again
        timeline.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0x00, "00A4040000"), 6); // same N(S): a retry
        timeline.OnFrame(FrameDirection.SeToHost, T1Frames.Se05x(0xA5, 0x00, "9000"), 7);
        timeline.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0x90), 8);              // R(1) ack

        Assert.Equal(
            [TimelineEventKind.Supervisory, TimelineEventKind.Corrupt, TimelineEventKind.Retry, TimelineEventKind.Supervisory, TimelineEventKind.Information,
             TimelineEventKind.Retry, TimelineEventKind.Retry, TimelineEventKind.Information, TimelineEventKind.ReceiveReady],
            timeline.Events.Select(e => e.Kind));
        Assert.Equal("R(N(R)=0 CRC error)", timeline.Events[5].Label);
        Assert.Contains("CRC BAD", timeline.Events[1].Detail);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (long)i), timeline.Events.Select(e => e.Milliseconds));
    }

    [Fact]
    public void OnRefused_FoldsRunsOfNacksAndBusyReads()
    {
        var timeline = new FrameTimeline("gp");
        timeline.OnFrame(FrameDirection.HostToSe, T1Frames.Gp(0x21, 0xC4), 0);
        timeline.OnRefused(FrameDirection.SeToHost, BusTransferStatus.AddressNotAcknowledged, 1);
        timeline.OnRefused(FrameDirection.SeToHost, BusTransferStatus.AddressNotAcknowledged, 2);
        timeline.OnRefused(FrameDirection.SeToHost, BusTransferStatus.AddressNotAcknowledged, 3);
        timeline.OnRefused(FrameDirection.SeToHost, BusTransferStatus.FullTransfer, 4);
        timeline.OnRefused(FrameDirection.HostToSe, BusTransferStatus.AddressNotAcknowledged, 5);

        Assert.Equal(4, timeline.Events.Count);
        Assert.Equal((TimelineEventKind.Nack, 3, "NACK ×3", 1L), (timeline.Events[1].Kind, timeline.Events[1].Count, timeline.Events[1].Label, timeline.Events[1].Milliseconds));
        Assert.Equal((TimelineEventKind.Busy, 1), (timeline.Events[2].Kind, timeline.Events[2].Count));
        Assert.Equal("host→SE write: NACK", timeline.Events[3].Detail);
    }

    [Fact]
    public void Mark_StartsAPhase_AndTheLimitCountsWhatIsLeftOut()
    {
        var timeline = new FrameTimeline("se05x", limit: 3);
        timeline.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0xC7), 0);
        timeline.Mark(1, "bus at 100 kHz");
        timeline.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0xC7), 2);             // not a retry: a new phase
        timeline.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0xC7), 3);

        Assert.Equal([TimelineEventKind.Supervisory, TimelineEventKind.Marker, TimelineEventKind.Supervisory], timeline.Events.Select(e => e.Kind));
        Assert.Equal(1, timeline.Dropped);
    }
}
