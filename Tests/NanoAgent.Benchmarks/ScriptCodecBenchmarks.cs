using BenchmarkDotNet.Attributes;
using NanoAgent.Agent.Messages;

namespace NanoAgent.Benchmarks;

/// <summary>
/// <see cref="ScriptMessageCodec"/> on a 20-step batch script request (docs/protocol.md §3): each step a
/// short APDU of 5 + 16 data bytes, as a typical GP/SE05x administration script.
/// </summary>
[MemoryDiagnoser]
public class ScriptCodecBenchmarks
{
    private ScriptRequest? _request;
    private byte[]? _payload;

    /// <summary>Builds the request and its encoding.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var steps = new ScriptStep[20];
        for (int i = 0; i < steps.Length; i++)
        {
            byte[] command = new byte[5 + 16];
            command[0] = 0x80;
            command[1] = 0xE2;
            command[3] = (byte)i;
            command[4] = 16;
            steps[i] = new ScriptStep(command, 0x9000, 0xFFFF, false, i % 4 == 0);
        }

        _request = new ScriptRequest
        {
            ScriptId = Convert.FromHexString("0102030405060708"),
            TenantId = "tenant-a",
            Counter = 42,
            TargetAid = Convert.FromHexString("A000000151000000"),
            Mode = ScriptMode.Batch,
            Steps = steps,
        };
        _payload = ScriptMessageCodec.Encode(_request);
    }

    /// <summary>Encodes the 20-step request.</summary>
    /// <returns>Encoded length.</returns>
    [Benchmark]
    public int Encode20Steps() => ScriptMessageCodec.Encode(_request!).Length;

    /// <summary>Decodes the 20-step request.</summary>
    /// <returns>Step count.</returns>
    [Benchmark]
    public int Decode20Steps() => ScriptMessageCodec.DecodeScriptRequest(_payload!).Steps.Length;
}
