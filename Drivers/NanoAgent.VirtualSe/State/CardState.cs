namespace NanoAgent.VirtualSe.State;

/// <summary>
/// Everything the virtual card keeps across resets and restarts: identity, card life cycle and the GlobalPlatform registry.
/// Plain data, serialized by <see cref="CardStateStore"/>; the card manager changes it in place and then commits.
/// </summary>
public sealed class CardState
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The ISD AID GlobalPlatform assigns by default (GPC v2.3.1 §F.3, 'A000000151000000').</summary>
    public static readonly byte[] DefaultIsdAid = Convert.FromHexString("A000000151000000");

    /// <summary>The AID of the sample load file a fresh card carries.</summary>
    public static readonly byte[] SampleLoadFileAid = Convert.FromHexString("F06E616E6F01");

    /// <summary>The AID of the sample load file's single Executable Module.</summary>
    public static readonly byte[] SampleModuleAid = Convert.FromHexString("F06E616E6F0101");

    /// <summary>The AID of the sample application instance a fresh card carries (SELECTABLE).</summary>
    public static readonly byte[] SampleApplicationAid = Convert.FromHexString("F06E616E6F010101");

    /// <summary>
    /// The key version number of the ISD's initial key set on a fresh card: 'FF', as development cards ship their
    /// initial keys (replace it with PUT KEY P1 = 'FF').
    /// </summary>
    public const byte InitialKeyVersion = 0xFF;

    /// <summary>
    /// The initial ISD key of a fresh card, used for ENC, MAC and DEK: the well-known test key '404142…4F' (the value
    /// of the published Amd D examples). A fresh virtual card is a development card; never trust it with real secrets.
    /// </summary>
    public static readonly byte[] InitialKey = Convert.FromHexString("404142434445464748494A4B4C4D4E4F");

    /// <summary>Gets or sets the schema version of the serialized form.</summary>
    public int Version { get; set; } = CurrentVersion;

    /// <summary>Gets or sets the card identity (CPLC, IIN, CIN).</summary>
    public CardIdentity Identity { get; set; } = new();

    /// <summary>Gets or sets the card life cycle state, which is also the ISD's (GPC §5.1).</summary>
    public CardLifeCycle LifeCycle { get; set; } = CardLifeCycle.Secured;

    /// <summary>
    /// Gets or sets how many logical channels the card plays, the basic channel included (1 to 20, ISO/IEC 7816-4 §5.4.1);
    /// null (absent from the file) leaves it to <see cref="Card.CardManagerOptions.LogicalChannels"/>. A state file can so
    /// play a card with fewer channels, for example 4 for one that offers channels 1-3 only.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? LogicalChannels { get; set; }

    /// <summary>Gets or sets the registry, in installation order (the order GET STATUS and partial SELECT walk).</summary>
    public List<RegistryEntry> Entries { get; set; } = [];

    /// <summary>Gets the ISD entry.</summary>
    /// <exception cref="InvalidOperationException">The registry has no ISD (a state that was not validated).</exception>
    public RegistryEntry Isd =>
        Entries.Find(e => e.Kind == RegistryEntryKind.IssuerSecurityDomain)
        ?? throw new InvalidOperationException("The card state has no Issuer Security Domain.");

    /// <summary>Creates the state of a fresh card: ISD in SECURED, one sample load file and one sample application.</summary>
    /// <param name="icSerialNumber">The IC serial number in the CPLC; the CIN is derived from it.</param>
    /// <returns>The new state.</returns>
    public static CardState CreateFresh(uint icSerialNumber = 0x00000001)
    {
        var cplc = new Cplc
        {
            // Sample values of a virtual chip ("NA", "SE", "NV"); dates coded Y DDD (2026, day 1).
            IcFabricator = 0x4E41,
            IcType = 0x5345,
            OperatingSystemId = 0x4E56,
            OperatingSystemReleaseDate = 0x6001,
            OperatingSystemReleaseLevel = 0x0100,
            IcFabricationDate = 0x6001,
            IcSerialNumber = icSerialNumber,
            IcBatchIdentifier = 0x0001,
        };
        byte[] cin = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(cin, cplc.IcFabricator);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(cin.AsSpan(2), cplc.IcType);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(cin.AsSpan(4), icSerialNumber);
        return new CardState
        {
            Identity = new CardIdentity { Cplc = cplc, Iin = Convert.FromHexString("6E616E6F"), Cin = cin },
            LifeCycle = CardLifeCycle.Secured,
            Entries =
            [
                new RegistryEntry
                {
                    Aid = DefaultIsdAid.ToArray(),
                    Kind = RegistryEntryKind.IssuerSecurityDomain,
                    LifeCycle = (byte)CardLifeCycle.Secured,

                    // GPC §6.6.1: Security Domain, Card Lock, Card Terminate, Card Reset, CVM Management;
                    // Trusted Path, Authorized Management, Token Verification, Global Delete/Lock/Registry, Final
                    // Application; Receipt Generation.
                    Privileges = Convert.FromHexString("9EFE80"),
                    Domain = new SecurityDomainData
                    {
                        KeySets = [KeySetRecord.Create(InitialKeyVersion, InitialKey, InitialKey, InitialKey)],
                    },
                },
                new RegistryEntry
                {
                    Aid = SampleLoadFileAid.ToArray(),
                    Kind = RegistryEntryKind.ExecutableLoadFile,
                    LifeCycle = EntryLifeCycle.Loaded,
                    AssociatedSecurityDomain = DefaultIsdAid.ToArray(),
                    Modules = [SampleModuleAid.ToArray()],
                },
                new RegistryEntry
                {
                    Aid = SampleApplicationAid.ToArray(),
                    Kind = RegistryEntryKind.Application,
                    LifeCycle = EntryLifeCycle.Selectable,
                    Privileges = [0x00, 0x00, 0x00],
                    AssociatedSecurityDomain = DefaultIsdAid.ToArray(),
                    ExecutableLoadFile = SampleLoadFileAid.ToArray(),
                },
            ],
        };
    }

    /// <summary>Finds the entry with exactly this AID.</summary>
    /// <param name="aid">The AID.</param>
    /// <returns>The entry, or null.</returns>
    public RegistryEntry? Find(ReadOnlySpan<byte> aid)
    {
        foreach (RegistryEntry e in Entries)
        {
            if (aid.SequenceEqual(e.Aid))
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>Gets the life cycle byte GET STATUS reports for an entry: the card's for the ISD (GPC §11.4.3.1).</summary>
    /// <param name="entry">An entry of this registry.</param>
    /// <returns>The life cycle byte.</returns>
    public byte LifeCycleOf(RegistryEntry entry) =>
        entry.Kind == RegistryEntryKind.IssuerSecurityDomain ? (byte)LifeCycle : entry.LifeCycle;

    /// <summary>Checks the rules of the card model; returns the first broken rule, or null when the state is usable.</summary>
    /// <returns>A sentence describing the problem, or null.</returns>
    public string? Validate()
    {
        if (Identity is null || Identity.Cplc is null || Identity.Iin is null || Identity.Cin is null)
        {
            return "identity, CPLC, IIN and CIN are required";
        }

        if (Identity.Iin.Length > 127 || Identity.Cin.Length > 127)
        {
            return "IIN and CIN must be at most 127 bytes";
        }

        if (!Enum.IsDefined(LifeCycle))
        {
            return $"card life cycle 0x{(byte)LifeCycle:X2} is not a GlobalPlatform card state";
        }

        if (LogicalChannels is < 1 or > 20)
        {
            return $"logical channels {LogicalChannels} is not 1 to 20 (the basic channel and up to 19 supplementary ones)";
        }

        if (Entries is null)
        {
            return "the registry is missing";
        }

        int isds = 0;
        var seen = new HashSet<string>();
        foreach (RegistryEntry? e in Entries)
        {
            if (e is null || e.Aid is null || e.Privileges is null || e.Modules is null)
            {
                return "a registry entry is null or lacks its AID, privileges or modules";
            }

            string aid = Convert.ToHexString(e.Aid);
            if (!IsAidLength(e.Aid) || !seen.Add(aid))
            {
                return $"AID '{aid}' must be 5 to 16 bytes and unique";
            }

            if (!Enum.IsDefined(e.Kind))
            {
                return $"entry '{aid}' has an unknown kind";
            }

            if (e.Privileges.Length != 0 && e.Privileges.Length != 3)
            {
                return $"entry '{aid}' must have 3 privilege bytes";
            }

            if ((e.AssociatedSecurityDomain is { } sd && !IsAidLength(sd))
                || (e.ExecutableLoadFile is { } elf && !IsAidLength(elf))
                || e.Modules.Exists(m => m is null || !IsAidLength(m)))
            {
                return $"entry '{aid}' refers to an AID that is not 5 to 16 bytes";
            }

            if (e.Domain is { } domain && (!e.IsSecurityDomain || domain.Validate() is not null))
            {
                return $"entry '{aid}': {(e.IsSecurityDomain ? domain.Validate() : "only security domains hold keys")}";
            }

            isds += e.Kind == RegistryEntryKind.IssuerSecurityDomain ? 1 : 0;
        }

        return isds == 1 ? null : "the registry must hold exactly one Issuer Security Domain";
    }

    private static bool IsAidLength(byte[] aid) => aid.Length is >= 5 and <= 16;
}
