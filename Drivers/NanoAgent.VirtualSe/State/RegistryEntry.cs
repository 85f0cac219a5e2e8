namespace NanoAgent.VirtualSe.State;

/// <summary>One entry of the GlobalPlatform registry (GPC v2.3.1 §6.6): an ISD, SSD, application or load file.</summary>
public sealed class RegistryEntry
{
    /// <summary>Gets or sets the AID (5 to 16 bytes, ISO/IEC 7816-5).</summary>
    public byte[] Aid { get; set; } = [];

    /// <summary>Gets or sets what the entry is.</summary>
    public RegistryEntryKind Kind { get; set; }

    /// <summary>
    /// Gets or sets the life cycle byte (<see cref="EntryLifeCycle"/>). Ignored for the ISD, whose state is the card's
    /// (<see cref="CardState.LifeCycle"/>, GPC §5.1).
    /// </summary>
    public byte LifeCycle { get; set; }

    /// <summary>Gets or sets the three privilege bytes (GPC §6.6.1); empty for load files.</summary>
    public byte[] Privileges { get; set; } = [];

    /// <summary>Gets or sets the AID of the associated Security Domain, or null (the ISD has none).</summary>
    public byte[]? AssociatedSecurityDomain { get; set; }

    /// <summary>Gets or sets, for applications and SSDs, the AID of the load file they were installed from, or null.</summary>
    public byte[]? ExecutableLoadFile { get; set; }

    /// <summary>Gets or sets, for load files, the AIDs of their Executable Modules.</summary>
    public List<byte[]> Modules { get; set; } = [];

    /// <summary>
    /// Gets or sets, for the ISD and SSDs, their key sets, sequence counter and personalisation data (null for other kinds;
    /// a security domain without it behaves as one without keys).
    /// </summary>
    public SecurityDomainData? Domain { get; set; }

    /// <summary>Gets a value indicating whether this entry is the ISD or an SSD.</summary>
    public bool IsSecurityDomain => Kind is RegistryEntryKind.IssuerSecurityDomain or RegistryEntryKind.SecurityDomain;

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Convert.ToHexString(Aid)}";
}
