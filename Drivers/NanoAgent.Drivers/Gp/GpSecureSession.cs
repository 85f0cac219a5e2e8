using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Gp
{
    /// <summary>
    /// An authenticated SCP03 session to one security domain over an <see cref="ApduChannel"/> on the basic channel:
    /// SELECT by AID, INITIALIZE UPDATE, EXTERNAL AUTHENTICATE at a level (GP Amd D §5.2), then <see cref="Send"/> wraps a plain
    /// command and unwraps its response. Wrong keys are found from the card cryptogram before EXTERNAL AUTHENTICATE is sent,
    /// so probing with the wrong keys never counts against the card's key set. Buffers are allocated once; not thread-safe.
    /// </summary>
    public sealed class GpSecureSession
    {
        private const int ShortCommandMax = 5 + 255 + 1;

        private readonly ApduChannel _channel;
        private readonly IRandomSource _random;
        private readonly IGpSessionTrace _trace;
        private readonly byte[] _command = new byte[ShortCommandMax];
        private readonly byte[] _wire = new byte[ShortCommandMax];
        private readonly byte[] _challenge = new byte[16];
        private readonly byte[] _response;
        private Scp03HostSession _session;

        /// <summary>Creates a closed session.</summary>
        /// <param name="channel">The APDU channel to the card (not owned).</param>
        /// <param name="random">Source of host challenges.</param>
        /// <param name="trace">Receives every APDU, or null.</param>
        /// <param name="maxResponseData">The largest plain response data field expected, 256 to 65536.</param>
        /// <exception cref="ArgumentNullException">The channel or the random source is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxResponseData"/> is out of range.</exception>
        public GpSecureSession(ApduChannel channel, IRandomSource random, IGpSessionTrace trace, int maxResponseData)
        {
            if (channel == null)
            {
                throw new ArgumentNullException("channel");
            }

            if (random == null)
            {
                throw new ArgumentNullException("random");
            }

            if (maxResponseData < 256 || maxResponseData > 65536)
            {
                throw new ArgumentOutOfRangeException("maxResponseData");
            }

            _channel = channel;
            _random = random;
            _trace = trace;

            // Data, one block of padding, an S16 R-MAC and the status word.
            _response = new byte[maxResponseData + 16 + 16 + 2];
        }

        /// <summary>Gets a value indicating whether the session is open.</summary>
        public bool IsOpen
        {
            get { return _session != null && _session.State == Scp03SessionState.Open; }
        }

        /// <summary>Gets the last status word the card answered (0 before any exchange).</summary>
        public ushort LastStatusWord { get; private set; }

        /// <summary>Gets the keys of the last <see cref="Open"/> (null before).</summary>
        public Scp03StaticKeys Keys { get; private set; }

        /// <summary>Gets the security level in force, or 0 when closed.</summary>
        public byte SecurityLevel
        {
            get { return IsOpen ? _session.SecurityLevel : (byte)0; }
        }

        /// <summary>Gets the sequence counter the card reported in the last INITIALIZE UPDATE, or -1.</summary>
        public int SequenceCounter { get; private set; }

        /// <summary>Gets the i parameter the card reported in the last INITIALIZE UPDATE (0 before).</summary>
        public byte IParameter { get; private set; }

        /// <summary>
        /// Selects the security domain and authenticates with its keys. Closes any open session first. A refusal is a value;
        /// only a broken link or a malformed card answer throws.
        /// </summary>
        /// <param name="sdAid">The security domain's AID, 5 to 16 bytes.</param>
        /// <param name="keys">Its static keys; their key version goes in INITIALIZE UPDATE P1.</param>
        /// <param name="securityLevel">00, 01, 03, 11, 13 or 33 (<see cref="Scp03SecurityLevel"/>).</param>
        /// <param name="challengeLength">8 for S8 mode, 16 for S16 mode.</param>
        /// <returns><see cref="GpOpenStatus.Opened"/>, or why not (see <see cref="LastStatusWord"/>).</returns>
        /// <exception cref="ApduException">The AID is not 5 to 16 bytes, or the card's answer is malformed at the APDU layer.</exception>
        /// <exception cref="SecureChannelException">The INITIALIZE UPDATE response is malformed or of another protocol.</exception>
        public GpOpenStatus Open(byte[] sdAid, Scp03StaticKeys keys, byte securityLevel, int challengeLength)
        {
            Close();
            if (sdAid == null || keys == null)
            {
                throw new ArgumentNullException(sdAid == null ? "sdAid" : "keys");
            }

            Keys = keys;
            SequenceCounter = -1;
            IParameter = 0;
            int n = GpSelect.Build(sdAid, 0, sdAid.Length, _command, 0);
            if (Exchange(_command, n) != StatusWord.Success)
            {
                return GpOpenStatus.SelectFailed;
            }

            Scp03HostSession session = new Scp03HostSession(keys, challengeLength);
            _random.Fill(_challenge, 0, challengeLength);
            n = session.BuildInitializeUpdate(_challenge, 0, _command, 0);
            int r = Transmit(_command, n);
            ushort sw = LastStatusWord;
            if (sw != StatusWord.Success)
            {
                // GP Amd D §7.1.1.3: '6A88' key version not found; '6983' key set blocked (GPC §11.1.3).
                return sw == StatusWord.ReferencedDataNotFound ? GpOpenStatus.KeyVersionNotFound
                    : sw == 0x6983 ? GpOpenStatus.KeySetBlocked : GpOpenStatus.InitializeUpdateRejected;
            }

            try
            {
                session.ProcessInitializeUpdateResponse(_response, 0, r);
            }
            catch (SecureChannelException e)
            {
                if (e.Error == SecureChannelError.CardCryptogramMismatch)
                {
                    return GpOpenStatus.WrongKeys;
                }

                if (e.Error == SecureChannelError.KeyVersionMismatch)
                {
                    return GpOpenStatus.KeyVersionMismatch;
                }

                throw;
            }

            IParameter = session.IParameter;
            SequenceCounter = session.SequenceCounter;
            if (!Scp03SecurityLevel.IsSupported(securityLevel, session.IParameter))
            {
                session.Close();
                return GpOpenStatus.LevelNotSupported;
            }

            n = session.BuildExternalAuthenticate(securityLevel, _command, 0);
            r = Transmit(_command, n);
            if (LastStatusWord != StatusWord.Success || r != 2)
            {
                session.Close();
                return GpOpenStatus.ExternalAuthenticateRejected;
            }

            session.ProcessExternalAuthenticateResponse(_response, 0, r);
            _session = session;
            return GpOpenStatus.Opened;
        }

        /// <summary>
        /// Wraps a plain command, sends it and unwraps the answer. The status word is a value; when the card answers '6982' or
        /// '6988' the session is closed here too, since a card aborts its session on a C-MAC it cannot verify (GP Amd D §6.2.4)
        /// and the host cannot tell that from a refusal.
        /// </summary>
        /// <param name="command">Buffer holding the plain short command.</param>
        /// <param name="offset">First command byte.</param>
        /// <param name="count">Command length.</param>
        /// <param name="response">Buffer receiving the plain response (data and status word).</param>
        /// <param name="responseOffset">Where the first response byte goes.</param>
        /// <returns>The plain response length.</returns>
        /// <exception cref="SecureChannelException">The session is not open, the command cannot be wrapped, or the response
        /// does not verify (R-MAC, padding, length); the session is then closed.</exception>
        /// <exception cref="ApduException">The card's answer is malformed at the APDU layer, or the buffer is too small.</exception>
        public int Send(byte[] command, int offset, int count, byte[] response, int responseOffset)
        {
            if (!IsOpen)
            {
                throw new SecureChannelException(SecureChannelError.InvalidState, "No SCP03 session is open: open one first.");
            }

            try
            {
                int w = _session.Wrap(command, offset, count, _wire, 0);
                if (_trace != null)
                {
                    _trace.Command(command, offset, count, _wire, 0, w);
                }

                int r = _channel.Transmit(_wire, 0, w, _response, 0);
                int p = _session.Unwrap(_response, 0, r, _response, 0);
                LastStatusWord = StatusWord.Read(_response, 0, p);
                if (response == null || responseOffset < 0 || response.Length - responseOffset < p)
                {
                    throw new ApduException(ApduError.BufferTooSmall, "The response buffer cannot hold the answer.");
                }

                Array.Copy(_response, 0, response, responseOffset, p);
                if (_trace != null)
                {
                    _trace.Response(_response, 0, p);
                }

                if (LastStatusWord == StatusWord.SecurityStatusNotSatisfied || LastStatusWord == 0x6988)
                {
                    Close();
                }

                return p;
            }
            catch (Exception)
            {
                Close();
                throw;
            }
        }

        /// <summary>Ends the session on the host side; the card ends its own on the next SELECT or INITIALIZE UPDATE.</summary>
        public void Close()
        {
            if (_session != null)
            {
                _session.Close();
                _session = null;
            }
        }

        private ushort Exchange(byte[] command, int count)
        {
            Transmit(command, count);
            return LastStatusWord;
        }

        private int Transmit(byte[] command, int count)
        {
            if (_trace != null)
            {
                _trace.Command(command, 0, count, command, 0, count);
            }

            int r = _channel.Transmit(command, 0, count, _response, 0);
            LastStatusWord = StatusWord.Read(_response, 0, r);
            if (_trace != null)
            {
                _trace.Response(_response, 0, r);
            }

            return r;
        }
    }
}
