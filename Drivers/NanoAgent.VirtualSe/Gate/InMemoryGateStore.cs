namespace NanoAgent.VirtualSe.Gate;

/// <summary>An <see cref="IGateStore"/> in memory (tests, throw-away virtual cards).</summary>
public sealed class InMemoryGateStore : IGateStore
{
    private readonly Dictionary<string, GateRecord> _records = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    /// <inheritdoc />
    public GateRecord? Find(string aid)
    {
        lock (_lock)
        {
            return _records.TryGetValue(aid, out GateRecord? r) ? r.Clone() : null;
        }
    }

    /// <inheritdoc />
    public void Save(GateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            _records[record.Aid] = record.Clone();
        }
    }
}
