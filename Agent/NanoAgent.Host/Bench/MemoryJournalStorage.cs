using NanoAgent.Agent.Relay;

namespace NanoAgent.Host.Bench;

/// <summary>An <see cref="IJournalStorage"/> in RAM, for the relay benchmark (flash writes are counted, not timed).</summary>
internal sealed class MemoryJournalStorage : IJournalStorage
{
    private readonly MemoryStream _data = new();
    private bool _written;

    public byte[]? Read() => _written ? _data.ToArray() : null;

    public void Append(byte[] data, int offset, int count)
    {
        _written = true;
        _data.Write(data, offset, count);
    }

    public void Reset(byte[] data, int offset, int count)
    {
        _data.SetLength(0);
        Append(data, offset, count);
    }
}
