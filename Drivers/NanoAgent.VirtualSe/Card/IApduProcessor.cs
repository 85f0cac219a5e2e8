namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// What the block-protocol responders hand complete command APDUs to: the card's APDU dispatcher.
/// </summary>
public interface IApduProcessor
{
    /// <summary>Processes one complete command APDU.</summary>
    /// <param name="command">The command APDU.</param>
    /// <param name="response">Buffer for the response data and status word.</param>
    /// <returns>Length of the response, including SW1 SW2.</returns>
    int Process(ReadOnlySpan<byte> command, Span<byte> response);

    /// <summary>Cold or warm reset: closes logical channels and deselects applications; persistent state stays.</summary>
    void Reset();
}
