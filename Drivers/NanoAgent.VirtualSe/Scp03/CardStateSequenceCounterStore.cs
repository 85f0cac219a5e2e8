using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Scp03;

/// <summary>
/// The sequence counter of one security domain kept in the card state (<see cref="SecurityDomainData.SequenceCounter"/>)
/// and saved through a commit callback (the card manager's atomic save) each time a value is used, before the card
/// challenge leaves the card (GP Amd D §6.2.2.1: a counter value is never used twice).
/// </summary>
public sealed class CardStateSequenceCounterStore : ISequenceCounterStore
{
    private readonly SecurityDomainData _domain;
    private readonly Action _commit;

    /// <summary>Creates the store.</summary>
    /// <param name="domain">The security domain's data.</param>
    /// <param name="commit">Saves the card state (for example <c>CardManager.Commit</c>).</param>
    public CardStateSequenceCounterStore(SecurityDomainData domain, Action commit)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(commit);
        _domain = domain;
        _commit = commit;
    }

    /// <inheritdoc />
    public int Load() => _domain.SequenceCounter;

    /// <inheritdoc />
    public void Store(int value)
    {
        _domain.SequenceCounter = value;
        _commit();
    }
}
