using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.Platform;
using NanoAgent.VirtualSe.Se05x.I2cm;
using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// A virtual NXP SE05x: a small card manager (<see cref="Se05xIsd"/>) and NXP's IoT applet (AN12413) with its secure
/// objects, policies, sessions, counters, MACs, ECDSA, random and I2C controller, behind the same SE05x T=1 over I2C as a
/// real chip. Persistent state is a <see cref="Se05xState"/> in a <see cref="Se05xStateStore"/>; each command is saved whole
/// or not at all, and a power cut armed in <see cref="NvmFaults"/> leaves the state before or after it. Every byte string
/// gets a status word; <see cref="Process"/> does not throw on card input. See Se05x/README.md for each rule and its source.
/// </summary>
public sealed class Se05xCard : IApduProcessor
{
    private static readonly byte[] IotAppletAid = Convert.FromHexString("A0000003965453000000010300000000");

    private readonly Se05xStateStore _store;
    private readonly Se05xCardOptions _options;
    private readonly Se05xApplet _applet;
    private readonly Se05xIsd _isd = new();
    private readonly byte[] _command = new byte[4 + 3 + 65535 + 2];
    private readonly object _lock = new();
    private Se05xState _state;
    private bool _appletSelected;

    /// <summary>Creates the card over a store, loading (or creating) its state.</summary>
    /// <param name="store">Where the state lives.</param>
    /// <param name="options">Applet version of a fresh card, second I2C bus, random source, clock; null for defaults.</param>
    /// <exception cref="NanoAgent.VirtualSe.State.CardStateException">The state file is unreadable or corrupt.</exception>
    public Se05xCard(Se05xStateStore store, Se05xCardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new Se05xCardOptions();
        _state = store.Load();
        _applet = new Se05xApplet(_options, new I2cmController(_options.SensorBus));
    }

    /// <summary>Gets the IoT applet AID <c>A0000003965453000000010300000000</c> (se05x-facts.md §1).</summary>
    public static ReadOnlySpan<byte> AppletAid => IotAppletAid;

    /// <summary>Gets the ISD AID <c>A000000151000000</c>.</summary>
    public static ReadOnlySpan<byte> IsdAid => Se05xIsd.Aid;

    internal static byte[] AppletAidBytes => IotAppletAid;

    /// <summary>Gets the store (its <see cref="Se05xStateStore.Path"/> and <see cref="Se05xStateStore.Faults"/>).</summary>
    public Se05xStateStore Store => _store;

    /// <summary>Gets the power cuts to arm on the card's NVM.</summary>
    public Se05xNvmFaults NvmFaults => _store.Faults;

    /// <summary>Gets how many armed power cuts struck (each left the card restarted from its store).</summary>
    public int PowerCuts { get; private set; }

    /// <summary>Gets the second I2C bus the applet's I2C controller drives.</summary>
    public II2cBusFactory SensorBus => _options.SensorBus;

    /// <summary>Gets the applet version the card reports: 3 (SE050) or 7 (SE051).</summary>
    public int AppletMajor => _state.AppletMajor;

    /// <summary>Gets the largest command payload the applet takes: 892 (applet 3.x) or 1024 (7.x).</summary>
    public int MaxPayload => Se05xApplet.MaxPayload(_state);

    /// <summary>Gets the 7 bytes SELECT of the applet answers: version, AppletConfig, secure box.</summary>
    public byte[] VersionBytes => Se05xManageCommands.Version(_state);

    /// <summary>Gets a value indicating whether applet commands need full platform SCP03 (C-MAC, C-DEC, R-MAC, R-ENC).</summary>
    public bool PlatformScpRequired => _options.PlatformScpRequired == true || _state.PlatformScpRequired;

    /// <summary>Gets or sets the platform SCP03 gate in front of this card, whose channel is the card manager's.</summary>
    public PlatformScpGate? PlatformGate
    {
        get => _isd.Platform;
        set => _isd.Platform = value;
    }

    /// <summary>Gets the NVM writes so far: persistent objects (kept in the state) plus crypto-object and MAC-run writes of this power cycle.</summary>
    public long NvmWrites
    {
        get
        {
            lock (_lock)
            {
                return _state.NvmWrites + _applet.CryptoObjectWrites;
            }
        }
    }

    /// <summary>Gets the number of applet sessions open now.</summary>
    public int OpenSessions => _applet.Sessions.Count;

    /// <summary>Gets a copy of the committed state (for tests and reports).</summary>
    /// <returns>The copy.</returns>
    public Se05xState Snapshot()
    {
        lock (_lock)
        {
            return _state.Clone();
        }
    }

    /// <summary>Gets how many NVM writes touched an object since it was created, or -1 when it does not exist.</summary>
    /// <param name="id">The object identifier.</param>
    /// <returns>The count.</returns>
    public long WritesOf(uint id)
    {
        lock (_lock)
        {
            return _state.Find(id)?.Writes ?? -1;
        }
    }

    /// <inheritdoc />
    /// <remarks>Returns 0 (no answer) when an armed power cut struck; the card has then restarted from its store.</remarks>
    public int Process(ReadOnlySpan<byte> command, Span<byte> response)
    {
        if (response.Length < 2)
        {
            throw new ArgumentException("The response buffer must hold at least the status word.", nameof(response));
        }

        lock (_lock)
        {
            try
            {
                return ProcessCore(command, response);
            }
            catch (Se05xPowerCutException)
            {
                PowerCuts++;
                _state = _store.Load();
                _applet.Deselect();
                _appletSelected = false;
                return 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A card answers every command; an internal fault is 6F00 and the command's changes are dropped.
                return Se05xApplet.Sw(response, 0, Se05xSw.NoPreciseDiagnosis);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Deselects the applet: sessions and crypto objects are gone (they are transient); the ISD is selected.</remarks>
    public void Reset()
    {
        lock (_lock)
        {
            _applet.Deselect();
            _appletSelected = false;
        }
    }

    private int ProcessCore(ReadOnlySpan<byte> command, Span<byte> response)
    {
        if (command.Length > _command.Length)
        {
            return Se05xApplet.Sw(response, 0, Se05xSw.WrongLength);
        }

        command.CopyTo(_command);
        if (CommandApduView.TryParse(_command, 0, command.Length, out CommandApduView view) != 0)
        {
            return Se05xApplet.Sw(response, 0, Se05xSw.WrongLength);
        }

        // The basic channel only: CLA channel bits (ISO/IEC 7816-4 §5.4.1) and MANAGE CHANNEL get 6881.
        if ((view.Cla & 0x43) != 0 || (view.Cla == 0x00 && view.Ins == 0x70))
        {
            return Se05xApplet.Sw(response, 0, Se05xSw.ChannelNotSupported);
        }

        if (view.Cla == 0x00 && view.Ins == 0xA4)
        {
            return Select(view, response);
        }

        if (!_appletSelected || (view.Ins is 0x50 or 0x82 && (view.Cla & 0x80) != 0))
        {
            // INITIALIZE UPDATE / EXTERNAL AUTHENTICATE that the platform gate did not take go to the applet's SD.
            return _isd.Process(_state, view, _command, response);
        }

        if (PlatformScpRequired && !(PlatformGate is { IsOpen: true, SecurityLevel: 0x33 }))
        {
            // AN12413 SetPlatformSCPRequest: "any applet APDU command will be refused by the applet when platform SCP is
            // not enabled. Enabled means full encryption and MAC, both on C-APDU and R-APDU".
            return Se05xApplet.Sw(response, 0, Se05xSw.SecurityStatus);
        }

        var tx = new Se05xTransaction(_state);
        int n = _applet.Process(tx, _command, view, response, out ushort sw);
        if (tx.Dirty && (sw == Se05xSw.Ok || tx.CommitOnError))
        {
            Se05xState next = tx.Seal();
            _store.Save(next);
            _state = next;
        }

        return n;
    }

    private int Select(in CommandApduView view, Span<byte> response)
    {
        ReadOnlySpan<byte> aid = _command.AsSpan(view.DataOffset, view.Nc);
        if (view.P1 != 0x04 || (view.P2 & ~0x0C) != 0)
        {
            return Se05xApplet.Sw(response, 0, Se05xSw.IncorrectP1P2);
        }

        if (aid.SequenceEqual(IotAppletAid))
        {
            _applet.Deselect();
            // The applet answers its version raw: major minor patch AppletConfig(2) SecureBox(2) (se05x-facts.md §1).
            _appletSelected = true;
            byte[] version = Se05xManageCommands.Version(_state);
            version.CopyTo(response);
            return version.Length + Se05xApplet.Sw(response, version.Length, Se05xSw.Ok);
        }

        if (aid.IsEmpty || aid.SequenceEqual(Se05xIsd.Aid))
        {
            _applet.Deselect();
            _appletSelected = false;
            int n = Se05xIsd.Fci(response);
            return n + Se05xApplet.Sw(response, n, Se05xSw.Ok);
        }

        // ISO/IEC 7816-4: no application with that AID; the selection stays as it was.
        return Se05xApplet.Sw(response, 0, Se05xSw.NotFound);
    }
}
