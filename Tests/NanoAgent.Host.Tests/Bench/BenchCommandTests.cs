using NanoAgent.Host.Bench;
using NanoAgent.VirtualSe;

namespace NanoAgent.Host.Tests.Bench;

public class BenchCommandTests
{
    [Fact]
    public void Bench_Quick_PrintsEveryProtocolScp03AndRelay()
    {
        CliRun run = CliRun.Of("bench", "--quick");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("se05x-i2c", run.Output);
        Assert.Contains("gp-spi", run.Output);
        Assert.Contains("SCP03", run.Output);
        Assert.Contains("steps/s", run.Output);
        foreach (int steps in RelayBench.DefaultSteps)
        {
            Assert.Matches($@"(?m)^\s*{steps}\s+journal\s+1\s", run.Output);
            Assert.Matches($@"(?m)^\s*{steps}\s+rewrite\s+1\s", run.Output);
        }
    }

    [Fact]
    public void RelayBench_JournalStore_WritesTheSameFewBytesPerStepWhateverTheScriptLength()
    {
        RelayFigures shortScript = RelayBench.Measure(10, 2);
        RelayFigures longScript = RelayBench.Measure(1000, 1);
        RelayFigures rewrite = RelayBench.Measure(1000, 1, journal: false);

        Assert.Equal((20, 1000), (shortScript.StepsPassed, longScript.StepsPassed));
        Assert.InRange(longScript.StoreBytesPerStep, 25, 100);
        Assert.InRange(longScript.StoreBytesPerStep / shortScript.StoreBytesPerStep, 0.5, 2);
        Assert.True(rewrite.StoreBytesPerStep > 100 * longScript.StoreBytesPerStep, $"{rewrite.StoreBytesPerStep:F0} vs {longScript.StoreBytesPerStep:F0}");
    }

    [Fact]
    public void Bench_QuickJson_IsJson()
    {
        CliRun run = CliRun.Of("bench", "--quick", "--json");

        Assert.Equal(0, run.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.Equal(6, doc.RootElement.GetProperty("data").GetProperty("links").GetArrayLength());
    }

    [Theory]
    [InlineData(VirtualSeProtocol.Se05xI2c, 5, 5 + 5 + 2 + 5)]
    [InlineData(VirtualSeProtocol.GpI2c, 261, 261 + (2 * 6) + 6 + 2 + 6)]
    public void Measure_CleanBus_FramesExactlyTheProtocolMinimumAndHostAllocatesNothing(VirtualSeProtocol protocol, int size, int minimum)
    {
        LinkFigures f = LinkBench.Measure(protocol, size, 50);

        // IFSC 254 on both virtual SEs: 261 bytes take two I-blocks, one R-block ack and the answer.
        Assert.Equal(minimum, f.MinimumBytes);
        Assert.Equal(minimum, f.FrameBytes);
        Assert.Equal(0, f.HostAllocatedBytes);
    }

    [Fact]
    public void Measure_Scp03_WrapAndUnwrapAllocateNothing()
    {
        Scp03Figures f = Scp03Bench.Measure(64, 50);

        Assert.Equal((0.0, 0.0), (f.WrapAllocatedBytes, f.UnwrapAllocatedBytes));
    }
}
