using NanoAgent.Drivers.Bus;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Drivers.Tests.Diagnostics;

public class TracingFrameLinkTests
{
    private sealed class RecordingSink : IFrameTraceSink
    {
        public List<(FrameDirection Direction, string Bytes, BusTransferStatus Status, long Ms)> Transfers { get; } = [];

        public void OnTransfer(FrameDirection direction, byte[] buffer, int offset, int count, BusTransferStatus status, long milliseconds) =>
            Transfers.Add((direction, Hex.Of(buffer, offset, count), status, milliseconds));
    }

    [Fact]
    public void Open_Se05x_ReportsSoftResetRequestThenPollsThenAtr()
    {
        var se = VirtualSecureElement.Create(VirtualSeProtocol.Se05xI2c);
        var clock = new VirtualClock();
        var sink = new RecordingSink();
        var link = new TracingFrameLink(se.Link, sink, clock);
        using var protocol = new NanoAgent.Drivers.T1.Se05x.Se05xT1Protocol(link, clock, new NanoAgent.Drivers.T1.Se05x.Se05xT1Options(), ownsLink: false);

        protocol.Open();

        // UM11225 / protocol-facts.md: S(INTERFACE SOFT RESET) request is 5A CF 00 37 7F.
        Assert.Equal((FrameDirection.HostToSe, "5ACF00377F", BusTransferStatus.FullTransfer, 0L), sink.Transfers[0]);
        Assert.Contains(sink.Transfers, t => t.Direction == FrameDirection.SeToHost && t.Status == BusTransferStatus.AddressNotAcknowledged);
        Assert.Contains(sink.Transfers, t => t.Direction == FrameDirection.SeToHost && t.Status == BusTransferStatus.FullTransfer && t.Bytes.StartsWith("A5EF", StringComparison.Ordinal));
        Assert.Equal(sink.Transfers.Select(t => t.Ms).Order(), sink.Transfers.Select(t => t.Ms));
        Assert.Equal("I2C 0x48", link.Description);
    }

    [Fact]
    public void Constructor_NullSink_Throws()
    {
        var se = VirtualSecureElement.Create(VirtualSeProtocol.Se05xI2c);
        Assert.Throws<ArgumentNullException>(() => new TracingFrameLink(se.Link, null!, new VirtualClock()));
    }
}
