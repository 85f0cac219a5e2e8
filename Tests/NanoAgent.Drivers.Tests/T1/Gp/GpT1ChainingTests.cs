using NanoAgent.Drivers.T1;
using CsCheck;
using NanoAgent.Drivers.T1.Gp;

namespace NanoAgent.Drivers.Tests.T1.Gp;

public class GpT1ChainingTests
{
    public static TheoryData<bool, int> BusesAndSizes()
    {
        var data = new TheoryData<bool, int>();
        foreach (bool spi in new[] { false, true })
        {
            foreach (int ifs in new[] { 8, 32, 254, 0xFF9 })
            {
                data.Add(spi, ifs);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BusesAndSizes))]
    public void Transceive_ChainsBothWaysAtTheNegotiatedSizes(bool spi, int ifs)
    {
        var bench = new GpBench(spi, ifsc: ifs, new GpT1Options { Ifsd = ifs });
        bench.Host.Open();
        var hostInf = new List<int>();
        var seInf = new List<int>();
        bench.Target.HostFrame += f => { if ((f[1] & 0x80) == 0) hostInf.Add(GpFrameCodec.InformationLength(f, 0)); };
        bench.Target.SeFrame += f => { if ((f[1] & 0x80) == 0) seInf.Add(GpFrameCodec.InformationLength(f, 0)); };
        byte[] data = GpBench.Pattern(5000, seed: ifs);

        bench.AssertEcho(data);

        int apdu = data.Length + 9;
        int rsp = data.Length + 2;
        Assert.Equal((apdu + ifs - 1) / ifs, hostInf.Count);
        Assert.Equal((rsp + ifs - 1) / ifs, seInf.Count);
        Assert.All(hostInf.SkipLast(1), n => Assert.Equal(ifs, n));
        Assert.All(seInf.SkipLast(1), n => Assert.Equal(ifs, n));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transceive_SequenceNumbersAlternateAcrossApdus(bool spi)
    {
        var bench = new GpBench(spi, ifsc: 8, new GpT1Options { Ifsd = 8 });
        bench.Host.Open();
        for (int i = 0; i < 5; i++)
        {
            bench.AssertEcho(GpBench.Pattern(i * 5 + 1, seed: i));
        }

        Assert.Equal(5, bench.Echo.Commands);
        Assert.Equal(0, bench.Card.Retransmissions);
    }

    /// <summary>REQUIRED acceptance test: a 1 KB case 4E APDU over IFSC 32 with one CRC error and one lost block mid-chain.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transceive_1KExtendedApduWithCrcErrorAndDroppedBlock_ResponseIntact(bool spi)
    {
        var bench = new GpBench(spi, ifsc: 32, new GpT1Options { Ifsd = 32 });
        bench.Host.Open();
        int hostFrames = 0;
        var nacks = new List<GpRBlockError>();
        bench.Target.HostFrame += f =>
        {
            if (T1Pcb.IsRBlock(f[1]) && GpPcb.RError(f[1]) != GpRBlockError.None)
            {
                nacks.Add(GpPcb.RError(f[1]));
            }

            hostFrames++;
            if (hostFrames == 10)
            {
                bench.Faults.CorruptNextSeFrameAt = 4; // the CRC of the SE's acknowledgement of command block 10 arrives corrupt
            }
            else if (hostFrames == 40)
            {
                bench.Faults.DropNextHostFrame = true; // the host's acknowledgement of a response block is lost
            }
        };
        byte[] data = GpBench.Pattern(1024, seed: 5);
        byte[] apdu = [0x80, 0x10, 0x00, 0x00, 0x00, 0x04, 0x00, .. data, 0x00, 0x00];
        Assert.Equal(1033, apdu.Length);

        byte[] response = bench.Send(apdu);

        Assert.Equal([.. data, 0x90, 0x00], response);
        Assert.Equal(2, bench.Faults.Fired);
        Assert.Equal(1, bench.Echo.Commands);
        Assert.Equal([GpRBlockError.Crc, GpRBlockError.Other], nacks); // one R(NACK) for the CRC error, one after the silence
    }

    [Fact]
    public void Transceive_RandomApdusOverRandomBusAndIfs_RoundTrip()
    {
        Gen.Select(Gen.Bool, Gen.Int[1, 300], Gen.Int[1, 300], Gen.Byte.Array[1, 2000]).Sample((spi, ifsc, ifsd, data) =>
        {
            var bench = new GpBench(spi, ifsc, new GpT1Options { Ifsd = ifsd });
            bench.Host.Open();
            bench.AssertEcho(data);
            bench.AssertEcho(data.Reverse().ToArray());
        }, iter: 150);
    }
}
