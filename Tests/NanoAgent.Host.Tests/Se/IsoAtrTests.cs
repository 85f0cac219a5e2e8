using NanoAgent.Drivers.T1;
using NanoAgent.Host.Se;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Host.Tests.Se;

// ISO/IEC 7816-3 §8.2: TS, T0 (Y1 | K), TD1 (T=1), K historical bytes, TCK with the XOR of T0..TCK equal to zero.
public class IsoAtrTests
{
    [Fact]
    public void FromHistoricalBytes_JcopHistoricalBytes_GiveTheAtrPcscScanParses()
    {
        byte[] atr = IsoAtr.FromHistoricalBytes("JCOP4 ATPO"u8);
        Assert.Equal("3B8A014A434F5034204154504F83", Convert.ToHexString(atr));
    }

    [Fact]
    public void FromHistoricalBytes_None_IsTheShortestT1Atr()
    {
        Assert.Equal("3B800181", Convert.ToHexString(IsoAtr.FromHistoricalBytes([])));
    }

    [Fact]
    public void FromHistoricalBytes_MoreThanFifteen_KeepsTheFirstFifteen()
    {
        byte[] atr = IsoAtr.FromHistoricalBytes(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
        Assert.Equal(0x8F, atr[1]);
        Assert.Equal(3 + 15 + 1, atr.Length);
        Assert.Equal(0, atr.Skip(1).Aggregate(0, (x, b) => x ^ b));
    }

    [Theory]
    [InlineData(VirtualSeProtocol.Se05xI2c)]
    [InlineData(VirtualSeProtocol.GpI2c)]
    [InlineData(VirtualSeProtocol.GpSpi)]
    public void For_EachVirtualSe_CarriesTheHistoricalBytesOfItsAtrOrCip(VirtualSeProtocol protocol)
    {
        var vse = VirtualSecureElement.Create(protocol);
        ISeTransport transport = vse.CreateHostTransport(new VirtualClock());
        transport.Open();
        byte[] historical = IsoAtr.HistoricalBytes(transport);

        byte[] atr = IsoAtr.For(transport);

        Assert.NotEmpty(historical);
        Assert.Equal(Convert.ToHexString(historical), Convert.ToHexString(atr, 3, historical.Length));
        Assert.Equal(0, atr.Skip(1).Aggregate(0, (x, b) => x ^ b));
    }
}
