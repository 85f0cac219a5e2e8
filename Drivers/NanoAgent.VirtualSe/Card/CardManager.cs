using NanoAgent.Drivers.Apdu;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// The whole virtual card behind the block protocols: a GlobalPlatform card manager (GPC v2.3.1) with logical channels
/// (ISO/IEC 7816-4, logical channels), SELECT by AID, GET RESPONSE, and dispatch of every other command to the applet of the entry
/// selected on the command's channel. Persistent state lives in <see cref="State"/>; <see cref="Commit"/> saves it.
/// Every byte string gets a status word; <see cref="Process"/> does not throw on any command.
/// </summary>
public sealed class CardManager : IApduProcessor
{
    /// <summary>The longest command accepted: a case 4E APDU with 65535 data bytes.</summary>
    public const int MaxCommandLength = 4 + 3 + 65535 + 2;

    private const int ScratchLength = 65536 + 1024;

    private readonly byte[] _command = new byte[MaxCommandLength];
    private readonly byte[] _scratch = new byte[ScratchLength];
    private readonly LogicalChannel[] _channels;
    private readonly CardStateStore? _store;
    private readonly Dictionary<string, ICardApplet> _applets = new(StringComparer.Ordinal);
    private readonly SecurityDomainApplet _securityDomain;
    private readonly List<(byte[] Prefix, ICardApplet Applet)> _prefixApplets = [];
    private readonly List<RegistryEntry> _systemEntries = [];
    private readonly InertApplet _inert = new();
    private readonly object _gate = new();

    /// <summary>Creates a card manager over a state, optionally saving it to a store on <see cref="Commit"/>.</summary>
    /// <param name="state">The card state; validated.</param>
    /// <param name="options">Options; null for defaults.</param>
    /// <param name="store">Where <see cref="Commit"/> saves, or null to keep the state in memory only.</param>
    /// <exception cref="ArgumentException">The state breaks a rule of the card model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The number of logical channels is not 1 to 20.</exception>
    public CardManager(CardState state, CardManagerOptions? options = null, CardStateStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Validate() is { } problem)
        {
            throw new ArgumentException($"The card state is not valid: {problem}.", nameof(state));
        }

        Options = options ?? new CardManagerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.LogicalChannels, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Options.LogicalChannels, 20, nameof(options));
        State = state;
        _store = store;
        _securityDomain = new SecurityDomainApplet(this);
        _channels = new LogicalChannel[state.LogicalChannels ?? Options.LogicalChannels];
        for (int i = 0; i < _channels.Length; i++)
        {
            _channels[i] = new LogicalChannel(i);
        }

        // A card-resident system application, present on every card (docs/protocol.md §3.9).
        RequestKeys.RequestVerifierApplet.Install(this);
        Reset();
    }

    /// <summary>Raised after <see cref="Commit"/> saved a change of <see cref="State"/>.</summary>
    public event EventHandler? StateChanged;

    /// <summary>Gets the persistent card state (change it in place, then call <see cref="Commit"/>).</summary>
    public CardState State { get; }

    /// <summary>Gets the options.</summary>
    public CardManagerOptions Options { get; }

    /// <summary>Loads the state from a store and creates a card manager that saves there.</summary>
    /// <param name="store">The store.</param>
    /// <param name="options">Options; null for defaults.</param>
    /// <returns>The card manager.</returns>
    /// <exception cref="CardStateException">The state file cannot be read or is corrupt.</exception>
    public static CardManager Open(CardStateStore store, CardManagerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new CardManager(store.Load(), options, store);
    }

    /// <summary>Gets the number of logical channels the card offers, the basic channel included (the state's, else the options').</summary>
    public int ChannelCount => _channels.Length;

    /// <summary>Gets a logical channel.</summary>
    /// <param name="number">0 to <see cref="ChannelCount"/> - 1.</param>
    /// <returns>The channel.</returns>
    public LogicalChannel GetChannel(int number) => _channels[number];

    /// <summary>Binds the behaviour of an application (for example the gate application) to its AID.</summary>
    /// <param name="aid">The application's AID.</param>
    /// <param name="applet">Its behaviour.</param>
    public void RegisterApplet(ReadOnlySpan<byte> aid, ICardApplet applet)
    {
        ArgumentNullException.ThrowIfNull(applet);
        lock (_gate)
        {
            _applets[Convert.ToHexString(aid)] = applet;
        }
    }

    /// <summary>
    /// Makes a card-resident system application (for example the request verifier) selectable by its exact AID on any
    /// channel without a registry entry: GET STATUS does not list it and DELETE cannot remove it.
    /// </summary>
    /// <param name="aid">The application's AID (5 to 16 bytes).</param>
    /// <param name="applet">Its behaviour.</param>
    public void RegisterSystemApplet(ReadOnlySpan<byte> aid, ICardApplet applet)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(aid.Length, 5, nameof(aid));
        RegisterApplet(aid, applet);
        lock (_gate)
        {
            _systemEntries.Add(new RegistryEntry { Aid = aid.ToArray(), Kind = RegistryEntryKind.Application, LifeCycle = EntryLifeCycle.Selectable });
        }
    }

    /// <summary>Finds the system application of exactly this AID, or null.</summary>
    internal RegistryEntry? FindSystemEntry(ReadOnlySpan<byte> aid)
    {
        foreach (RegistryEntry entry in _systemEntries)
        {
            if (aid.SequenceEqual(entry.Aid))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>
    /// Binds the behaviour of every application whose AID starts with <paramref name="aidPrefix"/> and has no applet of
    /// its own (for example all gate instances, whatever suffix a tenant installs them with).
    /// </summary>
    /// <param name="aidPrefix">The AID prefix (1 to 16 bytes).</param>
    /// <param name="applet">Their behaviour.</param>
    public void RegisterAppletPrefix(ReadOnlySpan<byte> aidPrefix, ICardApplet applet)
    {
        ArgumentNullException.ThrowIfNull(applet);
        ArgumentOutOfRangeException.ThrowIfLessThan(aidPrefix.Length, 1, nameof(aidPrefix));
        lock (_gate)
        {
            _prefixApplets.Add((aidPrefix.ToArray(), applet));
        }
    }

    /// <summary>Gets the applet that handles an entry: the security domain applet for the ISD and SSDs.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The applet.</returns>
    public ICardApplet AppletFor(RegistryEntry entry)
    {
        if (entry.IsSecurityDomain)
        {
            return _securityDomain;
        }

        if (_applets.TryGetValue(Convert.ToHexString(entry.Aid), out ICardApplet? applet))
        {
            return applet;
        }

        foreach ((byte[] prefix, ICardApplet byPrefix) in _prefixApplets)
        {
            if (entry.Aid.AsSpan().StartsWith(prefix))
            {
                return byPrefix;
            }
        }

        return _inert;
    }

    /// <summary>
    /// Tells whether an entry may be selected now: the ISD unless the card is TERMINATED; SSDs and applications in a
    /// selectable state while the card is neither CARD_LOCKED nor TERMINATED (GPC §5.1.1.4, §5.3); load files never.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <returns>True when selectable.</returns>
    public bool IsSelectable(RegistryEntry entry) => entry.Kind switch
    {
        RegistryEntryKind.IssuerSecurityDomain => State.LifeCycle != CardLifeCycle.Terminated,
        RegistryEntryKind.ExecutableLoadFile => false,
        _ => State.LifeCycle is not (CardLifeCycle.CardLocked or CardLifeCycle.Terminated)
             && EntryLifeCycle.IsSelectable(entry.LifeCycle),
    };

    /// <summary>Saves <see cref="State"/> to the store (if any) and raises <see cref="StateChanged"/>.</summary>
    /// <exception cref="CardStateException">The state is invalid or cannot be written.</exception>
    public void Commit()
    {
        lock (_gate)
        {
            _store?.Save(State);
        }

        StateChanged?.Invoke(this, EventArgs.Empty);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The response buffer holds fewer than 2 bytes.</exception>
    public int Process(ReadOnlySpan<byte> command, Span<byte> response)
    {
        if (response.Length < 2)
        {
            throw new ArgumentException("The response buffer must hold at least the status word.", nameof(response));
        }

        lock (_gate)
        {
            try
            {
                return ProcessCore(command, response);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A card answers every command; an internal fault is '6F00' (ISO 7816-4: no precise diagnosis), never an exception.
                return ResponseDelivery.WriteStatus(response, 0, StatusWords.NoPreciseDiagnosis);
            }
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        lock (_gate)
        {
            foreach (LogicalChannel channel in _channels)
            {
                if (channel.Selected is { } selected)
                {
                    AppletFor(selected).Deselect(channel);
                }

                channel.Close();
            }

            foreach (ICardApplet applet in _applets.Values.Concat(_prefixApplets.Select(p => p.Applet)).Distinct())
            {
                (applet as IVolatileStateApplet)?.ClearOnReset();
            }

            // ISO 7816-4 logical channels: after reset only the basic channel is open; GPC §6.3: the ISD is selected by default.
            LogicalChannel basic = _channels[0];
            basic.IsOpen = true;
            SelectOn(basic, State.Isd, _scratch);
        }
    }

    /// <summary>Tells whether an entry is selected on any open logical channel.</summary>
    internal bool IsSelectedAnywhere(RegistryEntry entry)
    {
        foreach (LogicalChannel channel in _channels)
        {
            if (ReferenceEquals(channel.Selected, entry))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Selects an entry on a channel, deselecting the previous one.</summary>
    internal CardReply SelectOn(LogicalChannel channel, RegistryEntry entry, Span<byte> output)
    {
        if (channel.Selected is { } previous)
        {
            AppletFor(previous).Deselect(channel);
        }

        channel.Selected = null;
        channel.AppletState = null;
        channel.LastSelectAid = null;
        channel.LastSelectIndex = -1;
        CardReply reply = AppletFor(entry).Select(entry, channel, output);
        int sw1 = reply.StatusWord >> 8;
        if (reply.StatusWord == StatusWords.Ok || sw1 == 0x62 || sw1 == 0x63)
        {
            channel.Selected = entry;
        }

        return reply;
    }

    /// <summary>Opens a channel and selects an entry on it; closes it again when the selection fails.</summary>
    internal ushort OpenChannel(int number, RegistryEntry? entry)
    {
        LogicalChannel channel = _channels[number];
        channel.Close();
        channel.IsOpen = true;
        if (entry is null)
        {
            return StatusWords.Ok;
        }

        CardReply reply = SelectOn(channel, entry, _scratch.AsSpan(ScratchLength / 2));
        if (channel.Selected is null)
        {
            channel.Close();
        }

        return reply.StatusWord;
    }

    /// <summary>Deselects and closes a channel.</summary>
    internal void CloseChannel(int number)
    {
        LogicalChannel channel = _channels[number];
        if (channel.Selected is { } selected)
        {
            AppletFor(selected).Deselect(channel);
        }

        channel.Close();
    }

    private int ProcessCore(ReadOnlySpan<byte> command, Span<byte> response)
    {
        if (command.Length > _command.Length)
        {
            return ResponseDelivery.WriteStatus(response, 0, StatusWords.WrongLength);
        }

        command.CopyTo(_command);
        if (CommandApduView.TryParse(_command, 0, command.Length, out CommandApduView view) != 0)
        {
            return ResponseDelivery.WriteStatus(response, 0, StatusWords.WrongLength);
        }

        if (!ClassByte.TryDecode(view.Cla, out ClassByte cla))
        {
            return ResponseDelivery.WriteStatus(response, 0, StatusWords.ClaNotSupported);
        }

        LogicalChannel? channel = cla.Channel < _channels.Length ? _channels[cla.Channel] : null;
        if (channel is null || !channel.IsOpen)
        {
            return ResponseDelivery.WriteStatus(response, 0, StatusWords.LogicalChannelNotSupported);
        }

        if (cla.Chaining)
        {
            return ResponseDelivery.WriteStatus(response, 0, StatusWords.ChainingNotSupported);
        }

        var cmd = new CardCommand(
            cla, view.Ins, view.P1, view.P2, _command.AsSpan(view.DataOffset, view.Nc), view.Ne, view.HasLe, view.IsExtended);
        if (!cla.IsProprietary && cmd.Ins == GetResponseCommand.Ins)
        {
            return GetResponseCommand.Process(cmd, channel, response);
        }

        // ISO 7816-4 response chaining: response bytes not fetched before the next command on the channel are lost.
        channel.ClearPending();
        CardReply reply;
        if (!cla.IsProprietary && cmd.Ins == ManageChannelCommand.Ins)
        {
            reply = ManageChannelCommand.Process(this, cmd, channel, _scratch);
        }
        else if (!cla.IsProprietary && cmd.Ins == SelectCommand.Ins)
        {
            reply = SelectCommand.Process(this, cmd, channel, _scratch);
        }
        else if (channel.Selected is { } selected)
        {
            reply = AppletFor(selected).Process(cmd, channel, _scratch);
        }
        else
        {
            reply = CardReply.Status(StatusWords.ConditionsNotSatisfied);
        }

        return ResponseDelivery.Deliver(cmd, channel, reply, _scratch.AsSpan(0, reply.Length), response);
    }
}
