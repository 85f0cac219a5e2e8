namespace NanoAgent.VirtualSe.Scp03;

/// <summary>
/// Persists the card's 24-bit SCP03 sequence counter (GP Amd D §6.2.2.1) so pseudo-random challenges never repeat across resets.
/// </summary>
public interface ISequenceCounterStore
{
    /// <summary>Reads the last counter value used (0 when none was used yet).</summary>
    /// <returns>The last value used.</returns>
    int Load();

    /// <summary>Records the counter value just used.</summary>
    /// <param name="value">The value.</param>
    void Store(int value);
}
