using NanoAgent.VirtualSe.Scp03;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// What a security domain keeps per logical channel while selected (held in <see cref="LogicalChannel.AppletState"/>):
/// the SCP03 session with the key set it was opened with, the INSTALL [for personalization] target, the STORE DATA block
/// sequence and the GET STATUS continuation. Selecting anything else on the channel ends it (GPC v2.3.1 §10.2).
/// </summary>
public sealed class SecurityDomainSession
{
    /// <summary>Gets the card side of the SCP03 session, or null before INITIALIZE UPDATE.</summary>
    public Scp03CardSession? Scp03 { get; internal set; }

    /// <summary>Gets the key set INITIALIZE UPDATE picked (its DEK decrypts PUT KEY data, GP Amd D §7.2).</summary>
    internal KeySetRecord? KeySet { get; set; }

    /// <summary>Gets a value indicating whether the host is authenticated and commands carry at least a C-MAC.</summary>
    public bool IsAuthenticated =>
        Scp03 is { State: Scp03CardState.Open } s && (s.SecurityLevel & Drivers.Scp03.Scp03SecurityLevel.CMac) != 0;

    /// <summary>Gets or sets the SD whose keys and data PUT KEY, DELETE [key] and STORE DATA change, when not the selected one.</summary>
    internal RegistryEntry? PersonalizationTarget { get; set; }

    /// <summary>Gets or sets the block number the next STORE DATA must carry (GPC §11.11.2.2).</summary>
    internal int StoreDataNextBlock { get; set; }

    /// <summary>Gets or sets the registry entries a GET STATUS answered with '6310' has not returned yet.</summary>
    internal List<RegistryEntry>? StatusRemaining { get; set; }

    /// <summary>Gets or sets the P1 of that GET STATUS.</summary>
    internal byte StatusP1 { get; set; }

    /// <summary>Gets or sets whether that GET STATUS asked for the tag-list format.</summary>
    internal bool StatusTagFormat { get; set; }

    /// <summary>Gets the buffer a command is re-encoded and unwrapped in (a short APDU).</summary>
    internal byte[] Command { get; } = new byte[300];

    /// <summary>Gets or grows the buffers responses are wrapped in.</summary>
    internal byte[] Plain { get; private set; } = [];

    internal byte[] Wrapped { get; private set; } = [];

    internal void EnsureResponseRoom(int length)
    {
        if (Plain.Length < length + 64)
        {
            Plain = new byte[Math.Max(length + 64, 1024)];
            Wrapped = new byte[Plain.Length];
        }
    }

    /// <summary>Ends the secure channel and everything that depended on it.</summary>
    internal void EndSecureChannel()
    {
        Scp03?.Close();
        Scp03 = null;
        KeySet = null;
        PersonalizationTarget = null;
        StoreDataNextBlock = 0;
    }
}
