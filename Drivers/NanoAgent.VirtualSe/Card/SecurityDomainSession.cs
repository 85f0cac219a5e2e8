using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// What a security domain keeps per logical channel while selected (held in <see cref="LogicalChannel.AppletState"/>):
/// today the GET STATUS continuation; a secure channel session belongs here too.
/// </summary>
public sealed class SecurityDomainSession
{
    /// <summary>Gets or sets the registry entries a GET STATUS answered with '6310' has not returned yet.</summary>
    internal List<RegistryEntry>? StatusRemaining { get; set; }

    /// <summary>Gets or sets the P1 of that GET STATUS.</summary>
    internal byte StatusP1 { get; set; }

    /// <summary>Gets or sets whether that GET STATUS asked for the tag-list format.</summary>
    internal bool StatusTagFormat { get; set; }
}
