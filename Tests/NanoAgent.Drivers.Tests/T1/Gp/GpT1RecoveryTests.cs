using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;

namespace NanoAgent.Drivers.Tests.T1.Gp;

public class GpT1RecoveryTests
{
    private static GpBench Opened(bool spi, int ifs = 32)
    {
        var bench = new GpBench(spi, ifs, new GpT1Options { Ifsd = ifs });
        bench.Host.Open();
        return bench;
    }

    /// <summary>Arms <paramref name="arm"/> when the host writes its <paramref name="frame"/>-th frame of the APDU.</summary>
    private static void AtHostFrame(GpBench bench, int frame, Action arm)
    {
        int n = 0;
        bench.Target.HostFrame += _ => { if (++n == frame) arm(); };
    }

    [Theory]
    [InlineData(false, 1)] // single-block command, corrupt I-block
    [InlineData(true, 1)]
    [InlineData(false, 3)] // chained command block
    [InlineData(true, 3)]
    public void HostBlockCorrupt_SeNacks_HostRetransmits(bool spi, int frame)
    {
        var bench = Opened(spi);
        byte[] data = GpBench.Pattern(frame == 1 ? 10 : 100);
        AtHostFrame(bench, frame - 1, () => bench.Faults.CorruptNextHostFrameAt = 6);
        if (frame == 1)
        {
            bench.Faults.CorruptNextHostFrameAt = 6;
        }

        bench.AssertEcho(data);

        Assert.Equal(1, bench.Faults.Fired);
        Assert.Equal(1, bench.Card.BadFramesReceived);
        Assert.Equal(1, bench.Echo.Commands);
    }

    [Theory]
    [InlineData(false, 1)] // corrupt first response block
    [InlineData(true, 1)]
    [InlineData(false, 5)] // corrupt a later one
    [InlineData(true, 5)]
    public void SeBlockCorrupt_HostNacks_SeRetransmits(bool spi, int atHostFrame)
    {
        var bench = Opened(spi);
        AtHostFrame(bench, atHostFrame, () => bench.Faults.CorruptNextSeFrameAt = 7);

        bench.AssertEcho(GpBench.Pattern(100));

        Assert.Equal(1, bench.Faults.Fired);
        Assert.Equal(1, bench.Card.Retransmissions);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 2)]
    [InlineData(false, 6)]
    [InlineData(true, 6)]
    public void HostFrameDropped_HostTimesOutAndRecovers(bool spi, int frame)
    {
        var bench = Opened(spi);
        if (frame == 1)
        {
            bench.Faults.DropNextHostFrame = true;
        }
        else
        {
            AtHostFrame(bench, frame - 1, () => bench.Faults.DropNextHostFrame = true);
        }

        bench.AssertEcho(GpBench.Pattern(100));

        Assert.Equal(1, bench.Faults.Fired);
        Assert.Equal(1, bench.Echo.Commands);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 4)]
    [InlineData(true, 4)]
    [InlineData(false, 6)]
    [InlineData(true, 6)]
    public void SeFrameDropped_HostAsksAgainAndRecovers(bool spi, int frame)
    {
        var bench = Opened(spi);
        AtHostFrame(bench, frame, () => bench.Faults.DropNextSeFrame = true);

        bench.AssertEcho(GpBench.Pattern(100));

        Assert.Equal(1, bench.Faults.Fired);
        Assert.Equal(1, bench.Echo.Commands);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SeBusyForManyPolls_HostKeepsPollingWithinBwt(bool spi)
    {
        var bench = Opened(spi);
        bench.Faults.NackPolls = 150;
        long before = bench.Clock.Milliseconds;

        bench.AssertEcho([1, 2, 3]);

        Assert.True(bench.Target.BusyRefusals >= 150);
        Assert.True(bench.Clock.Milliseconds - before >= 150);
        Assert.Equal(0, bench.Card.Retransmissions);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 3)]
    [InlineData(true, 3)]
    public void SeResetsMidApdu_ThrowsDeviceResetAndNextApduWorks(bool spi, int frame)
    {
        var bench = Opened(spi);
        if (frame == 1)
        {
            bench.Faults.ResetOnNextHostFrame = true;
        }
        else
        {
            AtHostFrame(bench, frame - 1, () => bench.Faults.ResetOnNextHostFrame = true);
        }

        var e = Assert.Throws<BlockProtocolException>(() => bench.Send(GpBench.EchoApdu(GpBench.Pattern(100))));

        Assert.Equal(BlockProtocolError.DeviceReset, e.Error);
        Assert.Equal(0, bench.Echo.Commands);
        bench.AssertEcho(GpBench.Pattern(100));
        Assert.Equal(1, bench.Echo.Commands);
    }

    [Fact]
    public void SeBlocksAlwaysCorrupt_ThrowsRetriesExhaustedThenResynchronised()
    {
        var bench = Opened(spi: false);
        bench.Link.CorruptRead = (rx, _) => !T1Pcb.IsSBlock(rx[1]);

        var e = Assert.Throws<BlockProtocolException>(() => bench.Send(GpBench.EchoApdu(GpBench.Pattern(100))));

        Assert.Equal(BlockProtocolError.RetriesExhausted, e.Error);
        Assert.Equal(GpSBlockType.Resynch, bench.Card.SRequestsReceived[^1]);
        bench.Link.CorruptRead = null;
        bench.AssertEcho(GpBench.Pattern(100));
    }

    [Fact]
    public void SpiSeFallsSilent_ThrowsTimeout()
    {
        var bench = Opened(spi: true);
        bench.Faults.Absent = true;

        var e = Assert.Throws<BlockProtocolException>(() => bench.Send(GpBench.EchoApdu([1])));

        Assert.Equal(BlockProtocolError.Timeout, e.Error);
    }

    [Fact]
    public void I2cSeDisappears_ThrowsNoDevice()
    {
        var bench = Opened(spi: false);
        bench.Faults.Absent = true;

        var e = Assert.Throws<BlockProtocolException>(() => bench.Send(GpBench.EchoApdu([1])));

        Assert.Equal(BlockProtocolError.NoDevice, e.Error);
    }
}
