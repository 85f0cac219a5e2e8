using System.Security.Cryptography;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Backend;

/// <summary>
/// The backend's end of one SCP03 session with the tenant's SD. Wraps <see cref="Scp03HostSession"/>; the commands are
/// written for one logical channel (the basic channel by default), and the relay puts each on its session's channel,
/// which leaves the C-MAC valid: GP Amd D §6.2.4 MACs the class byte with the channel number zero (docs/protocol.md §4.3).
/// </summary>
public sealed class TenantChannel
{
    private const byte InsExternalAuthenticate = 0x82;

    private readonly Scp03HostSession _session;
    private readonly int _channel;
    private readonly int _challengeLength;
    private Scp03Wrapper? _wrapper;

    private TenantChannel(Scp03HostSession session, int channel, int challengeLength)
    {
        _session = session;
        _channel = channel;
        _challengeLength = challengeLength;
    }

    /// <summary>Gets the underlying session (sequence counter, i parameter after INITIALIZE UPDATE).</summary>
    public Scp03HostSession Session => _session;

    /// <summary>Starts an interactive session: the card challenge comes from the card.</summary>
    /// <param name="keys">The tenant's keys.</param>
    /// <param name="channel">The logical channel the commands are written for (0 unless a test says otherwise).</param>
    /// <param name="s16">S16 mode.</param>
    /// <returns>The channel.</returns>
    public static TenantChannel Interactive(Scp03StaticKeys keys, int channel, bool s16)
    {
        int length = s16 ? 16 : 8;
        return new TenantChannel(new Scp03HostSession(keys, length), channel, length);
    }

    /// <summary>Starts a session pre-computed offline (GP Amd D §6.2.2.1, pseudo-random card challenge).</summary>
    /// <param name="keys">The tenant's keys.</param>
    /// <param name="channel">The logical channel.</param>
    /// <param name="sequenceCounter">The SD's sequence counter the session will run under.</param>
    /// <param name="sd">The SD AID.</param>
    /// <param name="iParameter">The card's i parameter (must have the pseudo-random bit).</param>
    /// <param name="hostChallenge">The host challenge (8 or 16 bytes, as the i parameter says).</param>
    /// <returns>The channel.</returns>
    public static TenantChannel Precomputed(Scp03StaticKeys keys, int channel, int sequenceCounter, byte[] sd, byte iParameter, byte[] hostChallenge)
    {
        var session = Scp03HostSession.ForPrecomputed(keys, sequenceCounter, sd, 0, sd.Length, iParameter, hostChallenge, 0);
        return new TenantChannel(session, channel, (iParameter & Scp03SecurityLevel.S16Mode) != 0 ? 16 : 8);
    }

    /// <summary>Builds INITIALIZE UPDATE (GP Amd D §7.1.1) for the channel the commands are written for.</summary>
    /// <param name="hostChallenge">The host challenge for an interactive session; null for a pre-computed one.</param>
    /// <returns>The command.</returns>
    public byte[] InitializeUpdate(byte[]? hostChallenge)
    {
        byte[] apdu = new byte[6 + _challengeLength];
        int n = hostChallenge is null ? _session.BuildInitializeUpdate(apdu, 0) : _session.BuildInitializeUpdate(hostChallenge, 0, apdu, 0);
        apdu[0] = GpClassByte.OnChannel(apdu[0], _channel);
        return apdu[..n];
    }

    /// <summary>Checks an interactive INITIALIZE UPDATE response: key version and card cryptogram.</summary>
    /// <param name="response">Data and SW.</param>
    /// <exception cref="SecureChannelException">The card refused, or its cryptogram does not match (wrong keys).</exception>
    public void CheckInitializeUpdate(byte[] response) => _session.ProcessInitializeUpdateResponse(response, 0, response.Length);

    /// <summary>Checks the INITIALIZE UPDATE response to a pre-computed session: the cryptogram the card computed from
    /// its own counter must be the one expected from the counter the session was computed for.</summary>
    /// <param name="response">Data and SW.</param>
    /// <param name="view">The parsed response (sequence counter, i parameter), when it parsed.</param>
    /// <returns>True when the card cryptogram matches.</returns>
    public bool CheckPrecomputedResponse(byte[] response, out Scp03InitializeUpdateResponse view)
    {
        if (Scp03InitializeUpdateResponse.TryParse(response, 0, response.Length, _challengeLength, out view) != 0)
        {
            return false;
        }

        byte[] expected = new byte[_challengeLength];
        _session.GetExpectedCardCryptogram(expected, 0);
        return CryptographicOperations.FixedTimeEquals(expected, response.AsSpan(view.CardCryptogramOffset, _challengeLength));
    }

    /// <summary>Builds EXTERNAL AUTHENTICATE (GP Amd D §7.1.2) with the channel in CLA and starts the wrapper.</summary>
    /// <param name="level">The security level.</param>
    /// <returns>The command.</returns>
    /// <exception cref="SecureChannelException">The level is not allowed or the card does not support it.</exception>
    public byte[] ExternalAuthenticate(byte level)
    {
        byte[] apdu = new byte[5 + 2 * _challengeLength];
        int n = _session.BuildExternalAuthenticate(level, apdu, 0);
        Scp03SessionKeys keys = _session.SessionKeys;

        // Amd D §6.2.4: C-MAC over a zero chaining value | CLA (channel zero) INS P1 P2 Lc | host cryptogram.
        byte cla = GpClassByte.OnChannel(0x84, _channel);
        byte[] chaining = new byte[16];
        keys.ComputeCommandMac(chaining, cla, InsExternalAuthenticate, level, 0x00, apdu[4], apdu, 5, _challengeLength, chaining);
        apdu[0] = cla;
        Array.Copy(chaining, 0, apdu, 5 + _challengeLength, keys.MacLength);
        _wrapper = new Scp03Wrapper(keys, level, chaining, 0);
        return apdu[..n];
    }

    /// <summary>Puts the channel into a plain command's CLA and wraps it (C-MAC, C-DECRYPTION as the level says).</summary>
    /// <remarks>A class byte GlobalPlatform does not define (<see cref="GpClassByte.IsValid"/>) cannot be put on a channel.</remarks>
    /// <param name="plain">The plain command, written for the basic channel.</param>
    /// <returns>The wrapped command.</returns>
    /// <exception cref="SecureChannelException">The command cannot be wrapped (extended, too long).</exception>
    public byte[] Wrap(byte[] plain)
    {
        byte[] command = (byte[])plain.Clone();
        command[0] = GpClassByte.OnChannel(command[0], _channel);
        byte[] output = new byte[command.Length + 48];
        int n = Wrapper.Wrap(command, 0, command.Length, output, 0);
        return output[..n];
    }

    /// <summary>Verifies the R-MAC and decrypts R-ENC data of the answer to the last wrapped command.</summary>
    /// <param name="response">The response as the SE sent it.</param>
    /// <returns>Plain data and SW.</returns>
    /// <exception cref="SecureChannelException">The R-MAC does not verify or the response is malformed.</exception>
    public byte[] Unwrap(byte[] response)
    {
        byte[] buffer = (byte[])response.Clone();
        int n = Wrapper.Unwrap(buffer, 0, buffer.Length, buffer, 0);
        return buffer[..n];
    }

    private Scp03Wrapper Wrapper =>
        _wrapper ?? throw new SecureChannelException(SecureChannelError.InvalidState, "EXTERNAL AUTHENTICATE comes before any wrapped command.");
}
