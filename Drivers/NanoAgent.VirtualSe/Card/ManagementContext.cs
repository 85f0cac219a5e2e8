using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>Who asks for a card management command: the card, the security domain of the session, and the session.</summary>
/// <param name="Card">The card manager.</param>
/// <param name="Sd">The security domain selected on the channel, whose session is authenticated.</param>
/// <param name="Session">Its session.</param>
internal readonly record struct ManagementContext(CardManager Card, RegistryEntry Sd, SecurityDomainSession Session)
{
    public CardState State => Card.State;

    /// <summary>The security domain whose keys and data PUT KEY, DELETE [key] and STORE DATA change.</summary>
    public RegistryEntry KeyTarget => Session.PersonalizationTarget ?? Sd;

    /// <summary>Saves the state; '6581' when it cannot be written (the in-memory change then stays unsaved).</summary>
    public ushort Commit()
    {
        try
        {
            Card.Commit();
            return StatusWords.Ok;
        }
        catch (CardStateException)
        {
            return StatusWords.MemoryFailure;
        }
    }
}
