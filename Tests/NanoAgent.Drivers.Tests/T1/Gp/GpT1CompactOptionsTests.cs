using NanoAgent.Drivers.T1.Gp;

namespace NanoAgent.Drivers.Tests.T1.Gp;

public class GpT1CompactOptionsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Compact_SeOffersLargeIfsc_UsesItAt254AndStillChains(bool spi)
    {
        var bench = new GpBench(spi, ifsc: 0xFF9, GpT1Options.Compact());
        bench.Host.Open();
        var hostInf = new List<int>();
        bench.Target.HostFrame += f => { if ((f[1] & 0x80) == 0) hostInf.Add(GpFrameCodec.InformationLength(f, 0)); };

        Assert.Equal(254, bench.Host.Ifsc);
        bench.AssertEcho(GpBench.Pattern(1024));
        Assert.All(hostInf, n => Assert.True(n <= 254));
        Assert.Equal((1024 + 9 + 253) / 254, hostInf.Count);
    }
}
