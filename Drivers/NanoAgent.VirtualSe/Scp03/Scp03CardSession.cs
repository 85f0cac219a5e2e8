using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.VirtualSe.Scp03;

/// <summary>
/// The card side of SCP03 (GP Amd D), built on the same portable primitives as the host: answers INITIALIZE UPDATE, verifies
/// EXTERNAL AUTHENTICATE, then unwraps each command (C-MAC, C-DECRYPTION) and wraps each response (R-MAC, R-ENCRYPTION).
/// It knows nothing of the card manager: the card manager routes INS 50 and 82 here, passes every other command through
/// <see cref="TryUnwrapCommand"/> and every response through <see cref="WrapResponse"/>. Any security failure closes the session.
/// Results are status words, never exceptions, so random input cannot break the card.
/// </summary>
public sealed class Scp03CardSession
{
    private const int Block = 16;

    private readonly Scp03StaticKeys _keys;
    private readonly Scp03CardOptions _options;
    private readonly int _challengeLength;
    private readonly byte[] _hostChallenge = new byte[16];
    private readonly byte[] _cardChallenge = new byte[16];
    private readonly byte[] _cryptogram = new byte[16];
    private readonly byte[] _chainingValue = new byte[Block];
    private readonly byte[] _nextChainingValue = new byte[Block];
    private readonly byte[] _counter = new byte[Block];
    private readonly byte[] _nextCounter = new byte[Block];
    private Scp03SessionKeys? _session;

    /// <summary>Creates the card side for one static key set.</summary>
    /// <param name="keys">The card's static keys.</param>
    /// <param name="options">The i parameter, AID, diversification data, counter store and random source.</param>
    public Scp03CardSession(Scp03StaticKeys keys, Scp03CardOptions options)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        if (options.KeyDiversificationData.Length != 10)
        {
            throw new ArgumentException("Key diversification data is 10 bytes.", nameof(options));
        }

        _keys = keys;
        _options = options;
        _challengeLength = (options.IParameter & Scp03SecurityLevel.S16Mode) != 0 ? 16 : 8;
    }

    /// <summary>Gets the session state.</summary>
    public Scp03CardState State { get; private set; }

    /// <summary>Gets the security level agreed in EXTERNAL AUTHENTICATE (0 when no session is open).</summary>
    public byte SecurityLevel { get; private set; }

    /// <summary>Answers INITIALIZE UPDATE (Amd D §7.1.1): closes any session, draws the card challenge, returns the response.</summary>
    /// <param name="command">Buffer holding the command APDU.</param>
    /// <param name="offset">First command byte.</param>
    /// <param name="count">Command length.</param>
    /// <param name="response">Buffer receiving the response (at least 51 bytes free).</param>
    /// <param name="responseOffset">Where the first response byte goes.</param>
    /// <returns>The response length, including the status word.</returns>
    public int ProcessInitializeUpdate(byte[] command, int offset, int count, byte[] response, int responseOffset)
    {
        Close();
        if (CommandApduView.TryParse(command, offset, count, out var view) != 0 || view.IsExtended || view.Nc != _challengeLength)
        {
            return Sw(response, responseOffset, 0x6700);
        }

        if (view.P1 != 0 && view.P1 != _keys.KeyVersion)
        {
            return Sw(response, responseOffset, 0x6A88); // referenced key version not found
        }

        Array.Copy(command, view.DataOffset, _hostChallenge, 0, _challengeLength);
        int sequence = -1;
        if ((_options.IParameter & Scp03SecurityLevel.PseudoRandomChallenge) != 0)
        {
            // Amd D §6.2.2.1: the challenge comes from the next sequence counter value and the AID; the value is persisted first.
            sequence = _options.SequenceCounter.Load() + 1;
            if (sequence > 0xFFFFFF)
            {
                return Sw(response, responseOffset, 0x6985);
            }

            _options.SequenceCounter.Store(sequence);
            byte[] aid = _options.SecurityDomainAid;
            _keys.ComputeCardChallenge(sequence, aid, 0, aid.Length, _challengeLength, _cardChallenge, 0);
        }
        else
        {
            byte[] random = new byte[_challengeLength];
            _options.Random(random);
            Array.Copy(random, _cardChallenge, _challengeLength);
        }

        _session = Scp03SessionKeys.Derive(_keys, _hostChallenge, 0, _cardChallenge, 0, _challengeLength);
        _session.ComputeCardCryptogram(_cryptogram, 0);

        int p = responseOffset;
        Array.Copy(_options.KeyDiversificationData, 0, response, p, 10);
        p += 10;
        response[p++] = _keys.KeyVersion;
        response[p++] = 0x03;
        response[p++] = _options.IParameter;
        Array.Copy(_cardChallenge, 0, response, p, _challengeLength);
        p += _challengeLength;
        Array.Copy(_cryptogram, 0, response, p, _challengeLength);
        p += _challengeLength;
        if (sequence >= 0)
        {
            response[p++] = (byte)(sequence >> 16);
            response[p++] = (byte)(sequence >> 8);
            response[p++] = (byte)sequence;
        }

        State = Scp03CardState.Initialized;
        return p - responseOffset + Sw(response, p, 0x9000);
    }

    /// <summary>Verifies EXTERNAL AUTHENTICATE (Amd D §7.1.2): host cryptogram and C-MAC; opens the session on success.</summary>
    /// <param name="command">Buffer holding the command APDU.</param>
    /// <param name="offset">First command byte.</param>
    /// <param name="count">Command length.</param>
    /// <param name="response">Buffer receiving the status word.</param>
    /// <param name="responseOffset">Where the status word goes.</param>
    /// <returns>2: 9000 on success; 6985 out of sequence, 6700 bad length, 6A86 bad level, 6300 bad cryptogram, 6982 bad MAC or no secure messaging.</returns>
    public int ProcessExternalAuthenticate(byte[] command, int offset, int count, byte[] response, int responseOffset)
    {
        if (State != Scp03CardState.Initialized || _session == null)
        {
            return Fail(response, responseOffset, 0x6985);
        }

        int macLength = _session.MacLength;
        if (CommandApduView.TryParse(command, offset, count, out var view) != 0 || view.IsExtended
            || view.Nc != _challengeLength + macLength)
        {
            return Fail(response, responseOffset, 0x6700);
        }

        if (!GpClassByte.HasSecureMessaging(view.Cla))
        {
            // Amd D §7.1.2: CLA '84' (or its form on another channel, 'E0'-'EF' for 4-19); without secure messaging a GP
            // card answers "security status not satisfied".
            return Fail(response, responseOffset, 0x6982);
        }

        if (!Scp03SecurityLevel.IsSupported(view.P1, _options.IParameter))
        {
            return Fail(response, responseOffset, 0x6A86);
        }

        _session.ComputeHostCryptogram(_cryptogram, 0);
        if (!ConstantTime.AreEqual(_cryptogram, 0, command, view.DataOffset, _challengeLength))
        {
            return Fail(response, responseOffset, 0x6300);
        }

        // Amd D §6.2.4: EXTERNAL AUTHENTICATE is MACed from a zero chaining value, its CLA with channel zero (ComputeCommandMac).
        Array.Clear(_chainingValue);
        _session.ComputeCommandMac(_chainingValue, view.Cla, view.Ins, view.P1, view.P2, view.Nc, command, view.DataOffset, _challengeLength, _nextChainingValue);
        if (!ConstantTime.AreEqual(_nextChainingValue, 0, command, view.DataOffset + _challengeLength, macLength))
        {
            return Fail(response, responseOffset, 0x6982);
        }

        Array.Copy(_nextChainingValue, _chainingValue, Block);
        Array.Clear(_counter);
        SecurityLevel = view.P1;
        State = Scp03CardState.Open;
        return Sw(response, responseOffset, 0x9000);
    }

    /// <summary>
    /// Unwraps one command: verifies the C-MAC, decrypts C-DECRYPTION data, restores the plain CLA and Lc. Commands pass
    /// through unchanged when no session is open. Input and output may be the same buffer at the same offset. Short and
    /// extended commands are accepted; an extended command's C-MAC covers its three Lc bytes and its plain form stays
    /// extended (NXP SE05x middleware se05x_tlv.c se05x_Transform_scp).
    /// </summary>
    /// <param name="command">Buffer holding the received command.</param>
    /// <param name="offset">First command byte.</param>
    /// <param name="count">Command length.</param>
    /// <param name="output">Buffer receiving the plain command.</param>
    /// <param name="outputOffset">Where the first plain byte goes.</param>
    /// <param name="length">The plain command length when successful.</param>
    /// <param name="statusWord">When unsuccessful, the status word to answer (the session is then closed).</param>
    /// <returns>True when the command may be processed.</returns>
    public bool TryUnwrapCommand(byte[] command, int offset, int count, byte[] output, int outputOffset, out int length, out ushort statusWord)
    {
        length = 0;
        statusWord = 0x9000;
        bool valid = CommandApduView.TryParse(command, offset, count, out var view) == 0;
        if (State != Scp03CardState.Open || _session == null || (valid && SecurityLevel == 0 && (view.Cla & SmBit(view.Cla)) == 0))
        {
            Array.Copy(command, offset, output, outputOffset, count);
            length = count;
            return true;
        }

        int macLength = _session.MacLength;
        byte smBit = valid ? SmBit(view.Cla) : (byte)0;
        if (!valid || (view.Cla & smBit) == 0 || (SecurityLevel & Scp03SecurityLevel.CMac) == 0 || view.Nc < macLength)
        {
            statusWord = (ushort)(valid ? 0x6982 : 0x6700);
            Close();
            return false;
        }

        // Amd D §6.2.4: verify the C-MAC over chaining value | header as received, CLA with channel zero | data; commit only
        // when all checks pass. The channel bits are not MACed, so a relay may put the command on any channel.
        bool extended = view.IsExtended;
        int dataLength = view.Nc - macLength;
        _session.ComputeCommandMac(
            _chainingValue, view.Cla, view.Ins, view.P1, view.P2, view.Nc, extended, command, view.DataOffset, dataLength, _nextChainingValue);
        if (!ConstantTime.AreEqual(_nextChainingValue, 0, command, view.DataOffset + dataLength, macLength))
        {
            statusWord = 0x6982;
            Close();
            return false;
        }

        // Amd D §6.2.6: the encryption counter counts every command, with or without data (an SE050's platform channel
        // counts data commands only: Scp03CardOptions.CountCommandsWithDataOnly).
        Array.Copy(_counter, _nextCounter, Block);
        if (!_options.CountCommandsWithDataOnly || dataLength > 0)
        {
            Scp03SessionKeys.IncrementCounter(_nextCounter);
        }

        byte cla = (byte)(view.Cla & ~smBit);
        byte ins = view.Ins, p1 = view.P1, p2 = view.P2;
        bool hasLe = view.HasLe;
        int ne = view.Ne;
        int header = extended ? 7 : 5;
        int data = outputOffset + header;
        Array.Copy(command, view.DataOffset, output, data, dataLength);
        int plain = dataLength;
        if ((SecurityLevel & Scp03SecurityLevel.CDecryption) != 0 && dataLength > 0)
        {
            plain = _session.DecryptData(_nextCounter, false, output, data, dataLength);
            if (plain < 0)
            {
                statusWord = 0x6982;
                Close();
                return false;
            }
        }

        int p = outputOffset;
        output[p++] = cla;
        output[p++] = ins;
        output[p++] = p1;
        output[p++] = p2;
        if (extended)
        {
            if (plain > 0)
            {
                output[p++] = 0;
                output[p++] = (byte)(plain >> 8);
                output[p++] = (byte)plain;
                p += plain; // data is already at outputOffset + 7
            }
            else if (hasLe)
            {
                // No data left: the extended Le alone takes its 00 marker (ISO/IEC 7816-4 §5.1, case 2E).
                output[p++] = 0;
            }

            if (hasLe)
            {
                output[p++] = (byte)(ne == 65536 ? 0 : ne >> 8);
                output[p++] = (byte)(ne == 65536 ? 0 : ne);
            }
        }
        else
        {
            if (plain > 0)
            {
                output[p++] = (byte)plain;
                p += plain; // data is already at outputOffset + 5
            }

            if (hasLe)
            {
                output[p++] = (byte)(ne == 256 ? 0 : ne);
            }
        }

        Array.Copy(_nextChainingValue, _chainingValue, Block);
        Array.Copy(_nextCounter, _counter, Block);
        length = p - outputOffset;
        return true;
    }

    /// <summary>
    /// Wraps one response: R-ENCRYPTION of the data and R-MAC (Amd D §6.2.5, §6.2.7). Error status words (other than 9000,
    /// 62xx, 63xx) go back alone, without data or R-MAC. Responses pass through unchanged without R-MAC in the level.
    /// </summary>
    /// <param name="data">Buffer holding the plain response data.</param>
    /// <param name="offset">First data byte.</param>
    /// <param name="count">Data length.</param>
    /// <param name="statusWord">The status word.</param>
    /// <param name="output">Buffer receiving the wrapped response (up to count + 34 bytes).</param>
    /// <param name="outputOffset">Where the first byte goes.</param>
    /// <returns>The wrapped response length, including the status word.</returns>
    public int WrapResponse(byte[] data, int offset, int count, ushort statusWord, byte[] output, int outputOffset)
    {
        byte sw1 = (byte)(statusWord >> 8), sw2 = (byte)statusWord;
        if (State != Scp03CardState.Open || _session == null || (SecurityLevel & Scp03SecurityLevel.RMac) == 0)
        {
            Array.Copy(data, offset, output, outputOffset, count);
            return count + Sw(output, outputOffset + count, statusWord);
        }

        if (statusWord != 0x9000 && sw1 != 0x62 && sw1 != 0x63)
        {
            return Sw(output, outputOffset, statusWord);
        }

        Array.Copy(data, offset, output, outputOffset, count);
        int length = count;
        if ((SecurityLevel & Scp03SecurityLevel.REncryption) != 0 && count > 0)
        {
            length = _session.EncryptData(_counter, true, output, outputOffset, count);
        }

        _session.ComputeResponseMac(_chainingValue, output, outputOffset, length, sw1, sw2, output, outputOffset + length);
        length += _session.MacLength;
        return length + Sw(output, outputOffset + length, statusWord);
    }

    /// <summary>Ends the session; later commands pass through unchanged until a new one is opened.</summary>
    public void Close()
    {
        State = Scp03CardState.Closed;
        SecurityLevel = 0;
        _session = null;
        Array.Clear(_chainingValue);
        Array.Clear(_counter);
    }

    private static byte SmBit(byte cla) => (cla & 0x40) != 0 ? (byte)0x20 : (byte)0x04;

    private static int Sw(byte[] buffer, int offset, ushort sw)
    {
        buffer[offset] = (byte)(sw >> 8);
        buffer[offset + 1] = (byte)sw;
        return 2;
    }

    private int Fail(byte[] response, int responseOffset, ushort sw)
    {
        Close();
        return Sw(response, responseOffset, sw);
    }
}
