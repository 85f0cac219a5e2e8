using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// An atomic <see cref="IRecordStorage"/> in RAM that outlives store instances (stands for the flash across a reboot).
/// <see cref="FailAtWrite"/> makes the n-th write (1-based) throw <see cref="PowerCutException"/> before anything changes.
/// </summary>
public sealed class DurableMemoryStorage : IRecordStorage
{
    public byte[]? Record { get; set; }

    public int WriteCount { get; private set; }

    public int FailAtWrite { get; set; } = -1;

    public byte[]? Read() => Record is null ? null : (byte[])Record.Clone();

    public void Write(byte[] data, int offset, int count)
    {
        WriteCount++;
        if (WriteCount == FailAtWrite)
        {
            throw new PowerCutException();
        }

        Record = data.AsSpan(offset, count).ToArray();
    }
}
