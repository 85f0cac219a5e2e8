using CsCheck;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;

namespace NanoAgent.Drivers.Tests.T1.Gp;

public class GpT1PropertyTests
{
    [Fact]
    public void Transceive_GarbageFromTheSe_ThrowsOnlyBlockProtocolException()
    {
        Gen.Select(Gen.Bool, Gen.Int, Gen.Byte.Array[1, 300]).Sample((spi, seed, data) =>
        {
            var bench = new GpBench(spi, ifsc: 32);
            bench.Host.Open();
            bench.Link.Garbage = new Random(seed);
            try
            {
                bench.Send(GpBench.EchoApdu(data));
            }
            catch (BlockProtocolException)
            {
            }

            // Bounded by retries and BWT on the virtual clock: a few seconds of virtual time at most.
            Assert.True(bench.Clock.Milliseconds < 60_000);
        }, iter: 300);
    }

    [Fact]
    public void Open_GarbageFromTheSe_ThrowsOnlyBlockProtocolException()
    {
        Gen.Select(Gen.Bool, Gen.Int).Sample((spi, seed) =>
        {
            var bench = new GpBench(spi);
            bench.Link.Garbage = new Random(seed);
            Assert.Throws<BlockProtocolException>(() => bench.Host.Open());
        }, iter: 300);
    }

    /// <summary>One random fault at a random point of a random APDU: the APDU survives (or fails cleanly after a reset) and the next one works.</summary>
    [Fact]
    public void Transceive_AnySingleBusFault_RecoversAndNextApduWorks()
    {
        Gen.Select(Gen.Bool, Gen.Int[4, 64], Gen.Int[0, 5], Gen.Int[1, 30], Gen.Int[0, 40], Gen.Byte.Array[1, 400]).Sample((spi, ifs, fault, atFrame, index, data) =>
        {
            var bench = new GpBench(spi, ifs, new GpT1Options { Ifsd = ifs });
            bench.Host.Open();
            int n = 0;
            bench.Target.HostFrame += _ =>
            {
                if (++n != atFrame)
                {
                    return;
                }

                switch (fault)
                {
                    case 0: bench.Faults.CorruptNextHostFrameAt = index; break;
                    case 1: bench.Faults.CorruptNextSeFrameAt = index; break;
                    case 2: bench.Faults.DropNextHostFrame = true; break;
                    case 3: bench.Faults.DropNextSeFrame = true; break;
                    case 4: bench.Faults.ResetOnNextHostFrame = true; break;
                    default: bench.Faults.NackPolls = index * 10; break;
                }
            };

            try
            {
                bench.AssertEcho(data);
            }
            catch (BlockProtocolException e) when (fault == 4)
            {
                Assert.Equal(BlockProtocolError.DeviceReset, e.Error);
            }

            // A fault armed on the APDU's last frame would hit the next one: disarm before checking the link is usable.
            n = int.MinValue;
            bench.Faults.CorruptNextHostFrameAt = -1;
            bench.Faults.CorruptNextSeFrameAt = -1;
            bench.Faults.DropNextHostFrame = bench.Faults.DropNextSeFrame = bench.Faults.ResetOnNextHostFrame = false;
            bench.Faults.NackPolls = 0;
            bench.AssertEcho(data.Reverse().ToArray());
        }, iter: 1500);
    }
}
