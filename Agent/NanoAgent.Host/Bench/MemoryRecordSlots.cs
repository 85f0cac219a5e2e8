using NanoAgent.Agent.Relay;

namespace NanoAgent.Host.Bench;

/// <summary>Two <see cref="IRecordSlots"/> in RAM, for the relay benchmark (flash writes are counted, not timed).</summary>
internal sealed class MemoryRecordSlots : IRecordSlots
{
    private readonly byte[]?[] _slots = new byte[]?[2];

    public byte[]? ReadSlot(int slot) => _slots[slot] is { } s ? (byte[])s.Clone() : null;

    public void WriteSlot(int slot, byte[] data, int offset, int count) => _slots[slot] = data.AsSpan(offset, count).ToArray();
}
