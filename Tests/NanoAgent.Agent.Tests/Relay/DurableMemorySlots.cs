using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// Two slots in RAM that tear like flash: with <see cref="TearAtWrite"/> set, that write (1-based) leaves only the first
/// <see cref="TornLength"/> bytes in its slot and throws <see cref="PowerCutException"/>. The other slot is never touched.
/// </summary>
public sealed class DurableMemorySlots : IRecordSlots
{
    public byte[]?[] Slots { get; } = new byte[]?[2];

    public int WriteCount { get; private set; }

    public int TearAtWrite { get; set; } = -1;

    public int TornLength { get; set; }

    public byte[]? ReadSlot(int slot) => Slots[slot] is { } s ? (byte[])s.Clone() : null;

    public void WriteSlot(int slot, byte[] data, int offset, int count)
    {
        WriteCount++;
        if (WriteCount == TearAtWrite)
        {
            Slots[slot] = data.AsSpan(offset, Math.Min(TornLength, count)).ToArray();
            throw new PowerCutException();
        }

        Slots[slot] = data.AsSpan(offset, count).ToArray();
    }
}
