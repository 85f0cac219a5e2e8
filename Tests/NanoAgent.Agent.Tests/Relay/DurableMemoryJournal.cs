using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// A journal in RAM that tears like a flash file: with <see cref="TearAtWrite"/> set, that write (1-based, appends and
/// restarts alike) keeps only the first <see cref="TornLength"/> new bytes and throws <see cref="PowerCutException"/>.
/// A torn restart has already dropped the old contents (the file was truncated first).
/// </summary>
public sealed class DurableMemoryJournal : IJournalStorage
{
    public byte[]? Data { get; set; }

    public int WriteCount { get; private set; }

    public int TearAtWrite { get; set; } = -1;

    public int TornLength { get; set; }

    public byte[]? Read() => Data is null ? null : (byte[])Data.Clone();

    public void Append(byte[] data, int offset, int count) => Write(Data ?? [], data, offset, count);

    public void Reset(byte[] data, int offset, int count) => Write([], data, offset, count);

    private void Write(byte[] before, byte[] data, int offset, int count)
    {
        WriteCount++;
        bool tear = WriteCount == TearAtWrite;
        int kept = tear ? Math.Min(TornLength, count) : count;
        Data = [.. before, .. data.AsSpan(offset, kept)];
        if (tear)
        {
            throw new PowerCutException();
        }
    }
}
