using BenchmarkDotNet.Attributes;
using NanoAgent.Host.Bench;
using NanoAgent.VirtualSe;

namespace NanoAgent.Benchmarks;

/// <summary>
/// One 261-byte command APDU (short case 4 maximum: 5 + 255 data + Le) round trip through the host block
/// protocol stack, the virtual bus and the card-side responder to <see cref="NullProcessor"/>, which answers 9000
/// without allocating. Same stack as <c>nanoagent bench</c> (<see cref="BenchStack"/>); the allocation column includes the
/// virtual bus and SE (which copy frames for trace events), not only the host stack.
/// </summary>
[MemoryDiagnoser]
public class T1RoundTripBenchmarks
{
    private readonly byte[] _command = LinkBench.Command(261);
    private readonly byte[] _response = new byte[16];
    private BenchStack? _se05x;
    private BenchStack? _gp;

    /// <summary>Opens both stacks.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _se05x = new BenchStack(VirtualSeProtocol.Se05xI2c, new NullProcessor());
        _gp = new BenchStack(VirtualSeProtocol.GpI2c, new NullProcessor());
    }

    /// <summary>Closes both stacks.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _se05x?.Dispose();
        _gp?.Dispose();
    }

    /// <summary>SE05x T=1 over I2C (UM11225), 261-byte APDU, two I-blocks chained at IFSC 254.</summary>
    /// <returns>Response length.</returns>
    [Benchmark]
    public int Se05xI2c261() => _se05x!.Transport.Transceive(_command, 0, _command.Length, _response, 0);

    /// <summary>GP T=1' over I2C (GPC_SPE_172), 261-byte APDU, two I-blocks chained at IFSC 254.</summary>
    /// <returns>Response length.</returns>
    [Benchmark]
    public int GpI2c261() => _gp!.Transport.Transceive(_command, 0, _command.Length, _response, 0);
}
