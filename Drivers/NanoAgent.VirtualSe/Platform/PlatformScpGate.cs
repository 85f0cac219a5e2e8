using System.Security.Cryptography;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.Scp03;

namespace NanoAgent.VirtualSe.Platform;

/// <summary>
/// Platform SCP03 on the card side, in front of the card manager (as an SE05x protects its whole I2C link): answers
/// INITIALIZE UPDATE for the platform key version and EXTERNAL AUTHENTICATE, then unwraps every command, hands the plain
/// command to the card manager, and wraps its response. With <see cref="PlatformScpOptions.RequirePlatformScp"/> any plain
/// command other than the handshake is refused with '6982'. A security failure closes the session (GP Amd D §6.2.4); so does
/// <see cref="Reset"/>. The host side is <see cref="PlatformScp03Transport"/>.
/// <para>
/// Responses are whole: '61xx' response chaining of the card manager is joined here with GET RESPONSE before wrapping,
/// since a '61xx' response carries no R-MAC (Amd D §6.2.5). A command wrapped twice (tenant SCP03 inside the platform
/// channel) arrives with CLA '8C' (b4 marks it) and its own class byte as the first data byte; after unwrapping, that class
/// byte is put back in front of INS, with its channel and secure messaging bit, and the data field is one byte shorter.
/// </para>
/// </summary>
public sealed class PlatformScpGate : IApduProcessor
{
    private const int CommandMax = 4 + 3 + 65535 + 2;
    private const int MaxPlainResponse = 65536;
    private const int WrapOverhead = 16 + 16 + 2;
    private const byte InsInitializeUpdate = 0x50;
    private const byte InsExternalAuthenticate = 0x82;
    private const byte NestedMarker = 0x08;

    private readonly IApduProcessor _inner;
    private readonly Scp03CardSession _session;
    private readonly PlatformScpOptions _options;
    private readonly byte[] _in = new byte[CommandMax];
    private readonly byte[] _plain = new byte[CommandMax];
    private readonly bool _refusePlain;
    private readonly bool _selectEndsSession;
    private readonly int _maxCommandData;
    private readonly byte[] _getResponse = new byte[5];
    private readonly byte[] _collect = new byte[MaxPlainResponse + 2];
    private readonly byte[] _out = new byte[MaxPlainResponse + WrapOverhead];

    /// <summary>Creates the gate.</summary>
    /// <param name="inner">The card manager (or any APDU processor) behind the gate.</param>
    /// <param name="keys">The platform key set; its version is the one INITIALIZE UPDATE must name.</param>
    /// <param name="options">Whether plain commands are refused and the minimum security level.</param>
    public PlatformScpGate(IApduProcessor inner, Scp03StaticKeys keys, PlatformScpOptions options)
        : this(inner, keys, options, new PlatformScpGateSettings())
    {
    }

    /// <summary>Creates the gate with card-specific settings (the virtual SE05x's: see <see cref="PlatformScpGateSettings"/>).</summary>
    /// <param name="inner">The card behind the gate.</param>
    /// <param name="keys">The platform key set; its version is the one INITIALIZE UPDATE must name.</param>
    /// <param name="options">Whether plain commands are refused and the minimum security level.</param>
    /// <param name="settings">What the card itself decides (plain commands, command length, counter rule).</param>
    public PlatformScpGate(IApduProcessor inner, Scp03StaticKeys keys, PlatformScpOptions options, PlatformScpGateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        _inner = inner;
        _options = options;
        _refusePlain = options.RequirePlatformScp && !settings.CardEnforcesRequirement;
        _maxCommandData = settings.MaxCommandData;
        _selectEndsSession = settings.PlainSelectEndsSession;
        Keys = keys;

        // Amd D §5.1 i = 60: random card challenges (nothing to persist), R-MAC and R-ENCRYPTION supported, S8 mode.
        _session = new Scp03CardSession(keys, new Scp03CardOptions
        {
            IParameter = 0x60,
            CountCommandsWithDataOnly = settings.CountCommandsWithDataOnly,
            Random = settings.Random ?? (static buffer => RandomNumberGenerator.Fill(buffer)),
        });
    }

    /// <summary>Gets the platform key set (its <c>ToString</c> shows key check values only).</summary>
    public Scp03StaticKeys Keys { get; }

    /// <summary>Gets a value indicating whether a platform session is open.</summary>
    public bool IsOpen => _session.State == Scp03CardState.Open;

    /// <summary>Gets the security level of the open session, or 0.</summary>
    public byte SecurityLevel => _session.SecurityLevel;

    /// <summary>Gets a value indicating whether this gate refuses plain commands (a card that enforces the requirement itself does).</summary>
    public bool RequirePlatformScp => _refusePlain;

    /// <summary>Gets how many commands were refused or closed the session (plain when required, bad MAC, bad level).</summary>
    public int Refusals { get; private set; }

    /// <inheritdoc />
    public int Process(ReadOnlySpan<byte> command, Span<byte> response)
    {
        if (response.Length < 2)
        {
            throw new ArgumentException("The response buffer must hold at least the status word.", nameof(response));
        }

        bool fits = command.Length <= _in.Length;
        CommandApduView view = default;
        bool parsed = fits && CommandApduView.TryParse(Copy(command), 0, command.Length, out view) == 0;
        bool valid = parsed && !view.IsExtended;

        // Amd D §7.1.1: INITIALIZE UPDATE naming the platform key version (re)starts the platform session.
        if (valid && view.Cla == 0x80 && view.Ins == InsInitializeUpdate && view.P1 == Keys.KeyVersion)
        {
            return CopyOut(_session.ProcessInitializeUpdate(_in, 0, command.Length, _out, 0), response);
        }

        if (valid && _session.State == Scp03CardState.Initialized && view.Cla == 0x84 && view.Ins == InsExternalAuthenticate)
        {
            if ((view.P1 & _options.MinimumSecurityLevel) != _options.MinimumSecurityLevel)
            {
                _session.Close();
                return Refuse(response, 0x6A86); // Amd D §7.1.2: incorrect P1 (security level below this card's policy)
            }

            return CopyOut(_session.ProcessExternalAuthenticate(_in, 0, command.Length, _out, 0), response);
        }

        if (_selectEndsSession && valid && view.Cla == 0x00 && view.Ins == 0xA4 && _session.State != Scp03CardState.Closed)
        {
            _session.Close();
        }

        if (_session.State == Scp03CardState.Open)
        {
            if (!fits)
            {
                _session.Close();
                return Refuse(response, 0x6700);
            }

            if (_maxCommandData > 0 && parsed && view.Nc > _maxCommandData)
            {
                // se05x_const.h MAX_APDU_PAYLOAD_LENGTH: the card's APDU buffer takes the wrapped command as received.
                return Refuse(response, 0x6700);
            }

            if (!_session.TryUnwrapCommand(_in, 0, command.Length, _plain, 0, out int length, out ushort error))
            {
                return Refuse(response, error);
            }

            if ((_plain[0] & 0x40) == 0 && (_plain[0] & NestedMarker) != 0)
            {
                length = Unnest(length);
                if (length < 0)
                {
                    _session.Close();
                    return Refuse(response, 0x6700); // a nested command without its class byte: wrong length
                }
            }

            int limit = Math.Min(_collect.Length, response.Length - WrapOverhead);
            int data = Collect(length, limit, out ushort sw);
            if (data < 0)
            {
                // The card lost power (an armed power cut) and answered nothing: the channel is gone with it.
                _session.Close();
                return 0;
            }

            return CopyOut(_session.WrapResponse(_collect, 0, data, sw, _out, 0), response);
        }

        if (_refusePlain)
        {
            _session.Close();
            return Refuse(response, 0x6982); // ISO 7816-4: security status not satisfied
        }

        return _inner.Process(command, response);
    }

    /// <inheritdoc />
    public void Reset()
    {
        _session.Close();
        _inner.Reset();
    }

    // The nested command's class byte is the first data byte (PlatformScp03Transport): it goes back in front of INS.
    private int Unnest(int length)
    {
        if (CommandApduView.TryParse(_plain, 0, length, out CommandApduView view) != 0 || view.IsExtended || view.Nc < 1)
        {
            return -1;
        }

        byte cla = _plain[view.DataOffset];
        int data = view.Nc - 1;
        bool hasLe = view.HasLe;
        byte le = (byte)(view.Ne == 256 ? 0 : view.Ne);
        _plain[0] = cla;
        int n = 4;
        if (data > 0)
        {
            _plain[n++] = (byte)data;
            Array.Copy(_plain, view.DataOffset + 1, _plain, n, data);
            n += data;
        }

        if (hasLe)
        {
            _plain[n++] = le;
        }

        return n;
    }

    private byte[] Copy(ReadOnlySpan<byte> command)
    {
        command.CopyTo(_in);
        return _in;
    }

    // Sends the plain command to the card manager and joins '61xx' response chaining (ISO 7816-4 §5.3.4) into _collect.
    private int Collect(int length, int limit, out ushort sw)
    {
        int total = 0;
        int r = _inner.Process(_plain.AsSpan(0, length), _collect.AsSpan(0, limit));
        if (r < 2)
        {
            sw = 0;
            return -1;
        }

        sw = (ushort)((_collect[r - 2] << 8) | _collect[r - 1]);
        total = r - 2;
        for (int rounds = 0; (sw >> 8) == 0x61; rounds++)
        {
            if (limit - total < 256 + 2 || rounds > 256)
            {
                sw = 0x6A84; // ISO 7816-4: not enough memory space for the whole response
                return 0;
            }

            _getResponse[0] = NanoAgent.Drivers.Apdu.LogicalChannel.PlainClassFor(_plain[0]);
            _getResponse[1] = 0xC0;
            _getResponse[2] = 0x00;
            _getResponse[3] = 0x00;
            _getResponse[4] = (byte)sw;
            r = _inner.Process(_getResponse, _collect.AsSpan(total, limit - total));
            sw = (ushort)((_collect[total + r - 2] << 8) | _collect[total + r - 1]);
            total += r - 2;
        }

        return total;
    }

    private int CopyOut(int count, Span<byte> response)
    {
        if (count > response.Length)
        {
            _session.Close();
            return Refuse(response, 0x6700);
        }

        _out.AsSpan(0, count).CopyTo(response);
        return count;
    }

    private int Refuse(Span<byte> response, ushort sw)
    {
        Refusals++;
        response[0] = (byte)(sw >> 8);
        response[1] = (byte)sw;
        return 2;
    }
}
