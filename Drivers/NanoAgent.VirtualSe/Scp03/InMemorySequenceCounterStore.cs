namespace NanoAgent.VirtualSe.Scp03;

/// <summary>
/// A sequence counter kept in memory: for tests, or as the backing of a card whose state is saved elsewhere.
/// </summary>
public sealed class InMemorySequenceCounterStore : ISequenceCounterStore
{
    private int _value;

    /// <summary>Creates the store.</summary>
    /// <param name="lastUsed">The last counter value used (0 for a new card).</param>
    public InMemorySequenceCounterStore(int lastUsed = 0) => _value = lastUsed;

    /// <inheritdoc />
    public int Load() => _value;

    /// <inheritdoc />
    public void Store(int value) => _value = value;
}
