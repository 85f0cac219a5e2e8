using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;

namespace NanoAgent.Drivers.Tests.T1.Gp;

public class GpT1ProtocolTests
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void Open_EitherActivationOrder_ReadsCipAndAppliesIt(bool spi, bool cipFirst)
    {
        var bench = new GpBench(spi, ifsc: 32, new GpT1Options { CipBeforeResynch = cipFirst }, o => o.BwtMs = 500);
        byte[] cip = bench.Host.Open();

        Assert.True(bench.Card.IsActivated);
        Assert.Equal(cipFirst
            ? new[] { GpSBlockType.Cip, GpSBlockType.Resynch, GpSBlockType.Ifs }
            : new[] { GpSBlockType.Resynch, GpSBlockType.Cip, GpSBlockType.Ifs }, bench.Card.SRequestsReceived);
        Assert.Same(cip, bench.Host.InterfaceBytes);
        Assert.Equal(spi ? GpPhysicalLayer.Spi : GpPhysicalLayer.I2c, bench.Host.Cip.PhysicalLayer);
        Assert.Equal(32, bench.Host.Ifsc);
        Assert.Equal(500, bench.Host.Cip.BwtMs);
        Assert.Equal("GP T=1'", bench.Host.ProtocolName);
        bench.AssertEcho(GpBench.Pattern(100));
    }

    [Fact]
    public void Open_CipForTheOtherBus_ThrowsInvalidInterfaceParameters()
    {
        var bench = new GpBench(spi: true, configure: o => o.PhysicalLayer = GpPhysicalLayer.I2c);
        Assert.Equal(BlockProtocolError.InvalidInterfaceParameters, Assert.Throws<BlockProtocolException>(() => bench.Host.Open()).Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Open_DeviceAbsent_ThrowsNoDevice(bool spi)
    {
        var bench = new GpBench(spi);
        bench.Faults.Absent = true;
        Assert.Equal(BlockProtocolError.NoDevice, Assert.Throws<BlockProtocolException>(() => bench.Host.Open()).Error);
    }

    [Fact]
    public void Transceive_BeforeOpenOrAfterClose_ThrowsNotOpen()
    {
        var bench = new GpBench(spi: false);
        Assert.Equal(BlockProtocolError.NotOpen, Assert.Throws<BlockProtocolException>(() => bench.Send([0, 0, 0, 0])).Error);
        bench.Host.Open();
        bench.Host.Close();
        Assert.Contains(GpSBlockType.Release, bench.Card.SRequestsReceived);
        Assert.Equal(BlockProtocolError.NotOpen, Assert.Throws<BlockProtocolException>(() => bench.Send([0, 0, 0, 0])).Error);
    }

    [Fact]
    public void Transceive_EmptyCommand_ThrowsCommandTooLarge()
    {
        var bench = new GpBench(spi: false);
        bench.Host.Open();
        var e = Assert.Throws<BlockProtocolException>(() => bench.Host.Transceive([], 0, 0, new byte[10], 0));
        Assert.Equal(BlockProtocolError.CommandTooLarge, e.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NegotiateIfsd_LargeIfsd_SeSendsResponseInOneBlock(bool spi)
    {
        var bench = new GpBench(spi, ifsc: 0xFF9);
        bench.Host.Open();
        bench.Host.NegotiateIfsd(0xFF9);
        Assert.Equal(0xFF9, bench.Card.Ifsd);
        Assert.Equal(0xFF9, bench.Host.Ifsd);

        int seFrames = 0;
        bench.Target.SeFrame += _ => seFrames++;
        bench.AssertEcho(GpBench.Pattern(3000));
        Assert.Equal(1, seFrames);
    }

    [Fact]
    public void NegotiateIfsd_OutOfRange_Throws()
    {
        var bench = new GpBench(spi: false, options: new GpT1Options { MaxInformationSize = 300 });
        bench.Host.Open();
        Assert.Throws<ArgumentOutOfRangeException>(() => bench.Host.NegotiateIfsd(301));
        Assert.Throws<ArgumentOutOfRangeException>(() => bench.Host.NegotiateIfsd(0));
    }

    [Fact]
    public void Resynchronize_ResetsSequenceNumbersOnBothSides()
    {
        var bench = new GpBench(spi: false);
        bench.Host.Open();
        bench.AssertEcho([1, 2, 3]);
        bench.Host.Resynchronize();
        Assert.Equal(GpSBlockType.Resynch, bench.Card.SRequestsReceived[^1]);

        byte firstPcb = 0xFF;
        bench.Target.HostFrame += f => firstPcb = firstPcb == 0xFF ? f[1] : firstPcb;
        bench.AssertEcho([4, 5, 6]);
        Assert.Equal(GpPcb.IBlock(0, false), firstPcb);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SoftReset_SendsSwrThenReadsCipAgain(bool spi)
    {
        var bench = new GpBench(spi);
        bench.Host.Open();
        bench.AssertEcho([1]);
        int before = bench.Card.SRequestsReceived.Count;

        byte[] cip = bench.Host.SoftReset();

        Assert.Equal([GpSBlockType.SoftwareReset, GpSBlockType.Cip, GpSBlockType.Ifs], bench.Card.SRequestsReceived.Skip(before));
        Assert.Equal(cip, bench.Host.InterfaceBytes);
        bench.AssertEcho([2]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transceive_SeRequestsWtx_HostAnswersEachAndGetsTheResponse(bool spi)
    {
        var bench = new GpBench(spi);
        bench.Host.Open();
        var wtxResponses = new List<string>();
        bench.Target.HostFrame += f => { if (f[1] == 0xE3) wtxResponses.Add(Hex.Of(f, 4, 1)); };
        bench.Card.RequestWtxBeforeNextResponse(5, multiplier: 3);

        bench.AssertEcho(GpBench.Pattern(400));

        Assert.Equal(5, bench.Card.WtxRequestsSent);
        Assert.Equal(Enumerable.Repeat("03", 5), wtxResponses);
    }

    [Fact]
    public void Transceive_WtxExtendsTheNextWait()
    {
        // BWT 20 ms; after the host grants WTX ×10 the SE stays busy for 100 polls (≥ 100 ms): only the extension saves it.
        var bench = new GpBench(spi: false, configure: o => o.BwtMs = 20);
        bench.Host.Open();
        bench.Target.HostFrame += f => { if (f[1] == 0xE3) bench.Faults.NackPolls = 100; };
        bench.Card.RequestWtxBeforeNextResponse(1, multiplier: 10);
        int refusedBefore = bench.Target.BusyRefusals;

        bench.AssertEcho([9, 9]);

        Assert.True(bench.Target.BusyRefusals - refusedBefore >= 100);
        Assert.Equal(0, bench.Card.Retransmissions);
    }

    [Fact]
    public void Transceive_EndlessWtx_ThrowsTimeoutAndLinkStaysUsable()
    {
        var bench = new GpBench(spi: false, options: new GpT1Options { MaxWtxRequests = 5 });
        bench.Host.Open();
        bench.Card.RequestWtxBeforeNextResponse(1000);

        Assert.Equal(BlockProtocolError.Timeout, Assert.Throws<BlockProtocolException>(() => bench.Send(GpBench.EchoApdu([1]))).Error);

        bench.Card.RequestWtxBeforeNextResponse(0);
        bench.AssertEcho([2]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transceive_SeAnnouncesNewIfsc_HostChainsWithIt(bool spi)
    {
        var bench = new GpBench(spi);
        bench.Host.Open();
        bench.Card.RequestIfsBeforeNextResponse(16);
        bench.AssertEcho([1, 2, 3]);
        Assert.Equal(16, bench.Host.Ifsc);
        Assert.Equal(16, bench.Card.Ifsc);

        var lengths = new List<int>();
        bench.Target.HostFrame += f => { if ((f[1] & 0x80) == 0) lengths.Add(GpFrameCodec.InformationLength(f, 0)); };
        bench.AssertEcho(GpBench.Pattern(100));
        Assert.All(lengths, n => Assert.True(n <= 16));
        Assert.Equal(7, lengths.Count); // 106-byte APDU in 16-byte blocks
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transceive_SeAbortsChain_ThrowsAbortedAndNextApduWorks(bool spi)
    {
        var bench = new GpBench(spi, ifsc: 32);
        bench.Host.Open();
        bench.Card.AbortNextChain();

        Assert.Equal(BlockProtocolError.Aborted, Assert.Throws<BlockProtocolException>(() => bench.Send(GpBench.EchoApdu(GpBench.Pattern(200)))).Error);

        Assert.Equal(0, bench.Echo.Commands);
        bench.AssertEcho(GpBench.Pattern(200));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transceive_ResponseLargerThanBuffer_ThrowsResponseTooLargeAndNextApduWorks(bool spi)
    {
        var bench = new GpBench(spi, ifsc: 64, new GpT1Options { Ifsd = 64 });
        bench.Host.Open();

        var e = Assert.Throws<BlockProtocolException>(() => bench.Send(GpBench.EchoApdu(GpBench.Pattern(500)), responseCapacity: 100));

        Assert.Equal(BlockProtocolError.ResponseTooLarge, e.Error);
        bench.AssertEcho(GpBench.Pattern(500, seed: 3));
    }

    [Fact]
    public void Transceive_HonoursMpotAndGuardTimeFromCip()
    {
        // MPOT 50 × 100 µs = 5 ms between polls; SEGT 3000 µs = 3 ms between transfers.
        var bench = new GpBench(spi: true, configure: o => { o.MinPollingTime100Us = 50; o.GuardTimeUs = 3000; });
        bench.Host.Open();
        long before = bench.Clock.TotalSlept;
        bench.AssertEcho([1]);

        // Guard before the write (3), a busy poll and the NAD poll spaced by MPOT (5 + 5, which also cover the guard),
        // then the guarded prologue and INF reads (3 + 3).
        Assert.True(bench.Clock.TotalSlept - before >= 3 + 5 + 5 + 3 + 3);
    }
}
