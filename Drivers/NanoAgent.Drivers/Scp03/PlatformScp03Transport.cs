using System;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// Platform SCP03 between the MCU and the SE, as NXP SE05x does it: an <see cref="IApduTransport"/> that decorates the
    /// block protocol. <see cref="Open(Scp03StaticKeys)"/> authenticates to the ISD on the basic channel with the board's
    /// platform keys (GP Amd D §5.2, INITIALIZE UPDATE then EXTERNAL AUTHENTICATE); afterwards every command is wrapped and
    /// every response unwrapped, so no plaintext APDU crosses the bus. There is no plaintext fallback: a closed or broken
    /// session refuses to send anything until it is opened again.
    /// <para>
    /// Short and extended APDUs. A short command is wrapped into a short one while it fits (put an <see cref="ApduChannel"/>
    /// on top with <see cref="MaxCommandData"/> as its command limit so long GP data goes in chained short commands); an
    /// extended command (NXP's SE05x middleware sends ReadObject, counters, GetRandom, I2CM with Lc <c>00 hh ll</c> and Le
    /// <c>00 00</c>) is wrapped into an extended one whose C-MAC covers the three Lc bytes, and a short command whose wrapped
    /// form would need Lc above 255 goes extended too (se05x_tlv.c se05x_Transform_scp: Lc short only below FF and without
    /// Le). Responses are whole: the card side joins response chaining before wrapping, since a '61xx' response carries no
    /// R-MAC (Amd D §6.2.5).
    /// </para>
    /// <para>
    /// Nesting: a command already wrapped for a tenant's security domain (secure messaging bit set: b3, or b6 on channels 4
    /// to 19) is wrapped again. The outer unwrap clears the secure messaging bit, so a nested command travels with CLA '88'
    /// (b4 marks nesting; '8C' on the wire) and its own class byte as the first data byte, where the platform C-MAC covers
    /// and C-DECRYPTION hides it, channel bits included; the card side puts that class byte back after unwrapping. Other
    /// CLA values with b4 set in the first coding are refused.
    /// </para>
    /// Buffers are allocated once; <see cref="Transceive"/> allocates nothing. Not thread-safe.
    /// </summary>
    public sealed class PlatformScp03Transport : IApduTransport
    {
        /// <summary>The default security level: C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION (Amd D §7.1.2.1 value 33).</summary>
        public const byte DefaultSecurityLevel = 0x33;

        /// <summary>The default largest plain response data field the transport can carry.</summary>
        public const int DefaultMaxResponseData = 1024;

        private const int ShortCommandMax = 5 + 255 + 1;
        private const int ExtendedOverhead = 4 + 3 + 2 + 16 + 16;
        private const int ChallengeLength = 8;
        private const byte NestedMarker = 0x08;
        private const byte NestedClass = 0x88;

        private readonly IApduTransport _inner;
        private readonly IRandomSource _random;
        private readonly byte[] _command;
        private readonly byte[] _plain;
        private readonly byte[] _challenge = new byte[ChallengeLength];
        private readonly byte[] _response;
        private Scp03HostSession _session;
        private Scp03StaticKeys _keys;
        private byte _level;
        private bool _reopenPending;

        /// <summary>Creates a closed transport with room for <see cref="DefaultMaxResponseData"/> response bytes.</summary>
        /// <param name="inner">The block protocol (or any transport) below; not owned.</param>
        /// <param name="random">Source of host challenges.</param>
        public PlatformScp03Transport(IApduTransport inner, IRandomSource random)
            : this(inner, random, DefaultMaxResponseData)
        {
        }

        /// <summary>Creates a closed transport.</summary>
        /// <param name="inner">The block protocol (or any transport) below; not owned.</param>
        /// <param name="random">Source of host challenges.</param>
        /// <param name="maxResponseData">The largest plain response data field expected (256 to 65536).</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxResponseData"/> is out of range.</exception>
        public PlatformScp03Transport(IApduTransport inner, IRandomSource random, int maxResponseData)
        {
            if (inner == null)
            {
                throw new ArgumentNullException("inner");
            }

            if (random == null)
            {
                throw new ArgumentNullException("random");
            }

            if (maxResponseData < 256 || maxResponseData > 65536)
            {
                throw new ArgumentOutOfRangeException("maxResponseData");
            }

            _inner = inner;
            _random = random;

            // Data, up to one block of padding, a MAC of up to 16 bytes (S16), and the status word.
            _response = new byte[maxResponseData + 16 + 16 + 2];

            // Extended commands carry up to as much data as responses do.
            _command = new byte[maxResponseData + ExtendedOverhead];
            _plain = new byte[maxResponseData + ExtendedOverhead];
        }

        /// <summary>Gets a value indicating whether the platform channel is open.</summary>
        public bool IsOpen
        {
            get { return _session != null && _session.State == Scp03SessionState.Open; }
        }

        /// <summary>
        /// Gets or sets whether the channel counts only commands with data in its encryption counter, as an SE050 (IoT applet
        /// below 4.3) does on its platform channel (NXP middleware fsl_sss_se05x_apis.c; see
        /// <see cref="Scp03Wrapper.CountsCommandsWithDataOnly"/>). Set it before <see cref="Open(Scp03StaticKeys)"/>; default false.
        /// </summary>
        public bool CountsCommandsWithDataOnly { get; set; }

        /// <summary>Gets the largest plain command data field an extended command may carry.</summary>
        public int MaxExtendedCommandData
        {
            get { return _plain.Length - ExtendedOverhead; }
        }

        /// <summary>Gets the security level in force, or 0 when closed.</summary>
        public byte SecurityLevel
        {
            get { return IsOpen ? _session.SecurityLevel : (byte)0; }
        }

        /// <summary>
        /// Gets the largest plain command data field that still fits one short APDU once wrapped at the level in force
        /// (238 at level 33 in S8 mode: one byte is kept for the class byte a nested command carries in its data), or 255
        /// when closed. Use it as <see cref="ApduChannel"/>'s command limit.
        /// </summary>
        public int MaxCommandData
        {
            get
            {
                if (!IsOpen)
                {
                    return 255;
                }

                int room = 255 - _session.SessionKeys.MacLength - 1;
                return (SecurityLevel & Scp03SecurityLevel.CDecryption) != 0 ? ((room + 1) / 16 * 16) - 2 : room;
            }
        }

        /// <summary>Opens the platform channel at <see cref="DefaultSecurityLevel"/>.</summary>
        /// <param name="platformKeys">The board's platform keys (never from source code: see the host key store).</param>
        /// <exception cref="SecureChannelException">Authentication failed (for instance
        /// <see cref="SecureChannelError.CardCryptogramMismatch"/> for wrong keys); the transport stays closed.</exception>
        public void Open(Scp03StaticKeys platformKeys)
        {
            Open(platformKeys, DefaultSecurityLevel);
        }

        /// <summary>
        /// Opens the platform channel: INITIALIZE UPDATE with the keys' version then EXTERNAL AUTHENTICATE, to the security
        /// domain selected on the basic channel (the ISD after reset, GPC §6.3). Closes any session first. S8 mode only.
        /// </summary>
        /// <param name="platformKeys">The board's platform keys.</param>
        /// <param name="securityLevel">01, 03, 11, 13 or 33; level 00 (no secure messaging) is refused.</param>
        /// <exception cref="ArgumentNullException"><paramref name="platformKeys"/> is null.</exception>
        /// <exception cref="SecureChannelException">The level is refused or authentication failed; the transport stays closed.
        /// Errors of the transport below propagate as they are, also leaving it closed.</exception>
        public void Open(Scp03StaticKeys platformKeys, byte securityLevel)
        {
            Close();
            if ((securityLevel & Scp03SecurityLevel.CMac) == 0)
            {
                throw new SecureChannelException(SecureChannelError.InvalidSecurityLevel, "The platform channel needs at least C-MAC: level 00 would send plaintext.");
            }

            Scp03HostSession session = new Scp03HostSession(platformKeys, ChallengeLength);
            _random.Fill(_challenge, 0, ChallengeLength);
            try
            {
                int n = session.BuildInitializeUpdate(_challenge, 0, _command, 0);
                int r = _inner.Transceive(_command, 0, n, _response, 0);
                session.ProcessInitializeUpdateResponse(_response, 0, r);
                n = session.BuildExternalAuthenticate(securityLevel, _command, 0);
                r = _inner.Transceive(_command, 0, n, _response, 0);
                session.ProcessExternalAuthenticateResponse(_response, 0, r);
            }
            catch (Exception)
            {
                session.Close();
                throw;
            }
            finally
            {
                Array.Clear(_challenge, 0, ChallengeLength);
            }

            session.Wrapper.CountsCommandsWithDataOnly = CountsCommandsWithDataOnly;
            _session = session;
            _keys = platformKeys;
            _level = securityLevel;
            _reopenPending = false;
        }

        /// <summary>
        /// Wraps a plain command (short or extended), sends it, and unwraps the response into the caller's buffer. When the card answers
        /// '6982' (security status not satisfied: the card drops a channel that failed its checks, Amd D §6.2.4) the
        /// response is returned and the session ends too, since an inner '6982' (a tenant's SD refusing a command) cannot be
        /// told apart on the wire; the next call opens a fresh session with the same keys before sending anything.
        /// </summary>
        /// <param name="command">Buffer holding the plain command APDU (short).</param>
        /// <param name="commandOffset">First command byte.</param>
        /// <param name="commandCount">Command length.</param>
        /// <param name="response">Buffer receiving the plain response (data and status word).</param>
        /// <param name="responseOffset">Where the first response byte goes.</param>
        /// <returns>The plain response length, including the status word.</returns>
        /// <exception cref="SecureChannelException">
        /// <see cref="SecureChannelError.InvalidState"/> when the channel is not open (nothing is sent);
        /// <see cref="SecureChannelError.InvalidCommand"/> or <see cref="SecureChannelError.CommandTooLong"/> for a command the
        /// channel cannot carry (nothing is sent, the channel stays open); an unwrap error (R-MAC, padding) or a too small
        /// buffer closes the channel. Errors of the transport below propagate and close the channel.
        /// </exception>
        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            if (!IsOpen)
            {
                if (!_reopenPending)
                {
                    throw new SecureChannelException(SecureChannelError.InvalidState, "The platform SCP03 channel is not open: open it with the platform keys; nothing was sent.");
                }

                Open(_keys, _level);
            }

            byte[] source = command;
            int sourceOffset = commandOffset;
            int sourceCount = commandCount;
            CommandApduView view;
            if (CommandApduView.TryParse(command, commandOffset, commandCount, out view) != 0)
            {
                throw new SecureChannelException(SecureChannelError.InvalidCommand, "The command APDU is malformed; nothing was sent.");
            }

            if (view.IsExtended ? view.Nc > MaxExtendedCommandData : commandCount > _plain.Length)
            {
                throw new SecureChannelException(SecureChannelError.CommandTooLong, "The command carries more data than this channel was sized for; nothing was sent.");
            }

            if ((view.Cla & 0x40) == 0 && (view.Cla & NestedMarker) != 0)
            {
                throw new SecureChannelException(SecureChannelError.InvalidCommand, "CLA b4 is reserved by the platform channel for nested commands.");
            }

            if (GpClassByte.HasSecureMessaging(view.Cla))
            {
                // A tenant's secured command (its SD's SCP03 inside the platform channel).
                sourceCount = Nest(command, view);
                source = _plain;
                sourceOffset = 0;
            }
            else if (!view.IsExtended && WrappedLc(view.Nc) > 255)
            {
                // se05x_Transform_scp: a wrapped Lc of FF or more goes in the extended form.
                sourceCount = CommandApduForms.ToExtended(command, view, _plain, 0);
                source = _plain;
                sourceOffset = 0;
            }

            int n = _session.Wrap(source, sourceOffset, sourceCount, _command, 0);
            try
            {
                int r = _inner.Transceive(_command, 0, n, _response, 0);
                int plain = _session.Unwrap(_response, 0, r, _response, 0);
                if (response == null || responseOffset < 0 || response.Length - responseOffset < plain)
                {
                    throw new SecureChannelException(SecureChannelError.BufferTooSmall, "The response buffer cannot hold the unwrapped response.");
                }

                Array.Copy(_response, 0, response, responseOffset, plain);
                if (plain == 2 && _response[0] == 0x69 && _response[1] == 0x82)
                {
                    Close();
                    _reopenPending = true;
                }

                return plain;
            }
            catch (Exception)
            {
                Close();
                throw;
            }
        }

        // A nested command: CLA '88', INS P1 P2 as they are, its own class byte then its data as the data field, its Le.
        private int Nest(byte[] command, CommandApduView view)
        {
            if (view.Nc + 1 > 255)
            {
                throw new SecureChannelException(SecureChannelError.CommandTooLong, "A nested command carries its class byte in the data field, which would need Lc above 255.");
            }

            _plain[0] = NestedClass;
            _plain[1] = view.Ins;
            _plain[2] = view.P1;
            _plain[3] = view.P2;
            _plain[4] = (byte)(view.Nc + 1);
            _plain[5] = view.Cla;
            Array.Copy(command, view.DataOffset, _plain, 6, view.Nc);
            int n = 6 + view.Nc;
            if (view.HasLe)
            {
                _plain[n++] = (byte)(view.Ne == 256 ? 0 : view.Ne);
            }

            return n;
        }

        private int WrappedLc(int nc)
        {
            int mac = _session.SessionKeys.MacLength;
            bool cdec = (SecurityLevel & Scp03SecurityLevel.CDecryption) != 0;
            return (cdec && nc > 0 ? (nc / 16 * 16) + 16 : nc) + mac;
        }

        /// <summary>Closes the platform channel on the host side; nothing is sent. <see cref="Transceive"/> refuses until reopened.</summary>
        public void Close()
        {
            _reopenPending = false;
            if (_session != null)
            {
                _session.Close();
                _session = null;
            }

            Array.Clear(_response, 0, _response.Length);
            Array.Clear(_plain, 0, _plain.Length);
        }
    }
}
