using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// A host-side applet session with one authentication object, for a host that holds its credential (a lab, a test, a
    /// backend with a local SE): <see cref="Open"/> (CreateSession), then <see cref="VerifyUserId"/> or
    /// <see cref="AuthenticateAesKey"/>, then <see cref="Transceive"/> for each command, then <see cref="Close"/>. It joins
    /// the two halves the relay splits (Se05x/README.md): <see cref="Se05xSessionCommands.ProcessSessionCommand"/> with the
    /// session id (the agent's half) and <see cref="Se05xAppletScp03"/> with the key (the backend's half).
    /// Buffers are allocated once per session. Not thread-safe.
    /// </summary>
    public sealed class Se05xAppletSession
    {
        private const int Room = 4 + 3 + Se05xApduWriter.MaxPayload + 64;

        private readonly IApduTransport _transport;
        private readonly Se05xSessionCommands _commands;
        private readonly byte[] _sessionId = new byte[Se05xObjectInfo.SessionIdLength];
        private readonly byte[] _inner = new byte[Room];
        private readonly byte[] _outer = new byte[Room + 16];
        private readonly byte[] _answer = new byte[Room + 64];
        private Se05xAppletScp03 _scp;

        /// <summary>Creates a closed session client.</summary>
        /// <param name="transport">The APDU transport to the selected IoT applet (platform SCP03 or plain); not owned.</param>
        /// <param name="maxPayload">The applet's payload limit, <see cref="Se05xAppletVersion.MaxPayload"/> (892 or 1024).</param>
        /// <exception cref="ArgumentNullException">When <paramref name="transport"/> is null.</exception>
        public Se05xAppletSession(IApduTransport transport, int maxPayload)
        {
            if (transport == null)
            {
                throw new ArgumentNullException("transport");
            }

            _transport = transport;
            _commands = new Se05xSessionCommands(maxPayload);
        }

        /// <summary>Gets a value indicating whether a session id is held.</summary>
        public bool IsOpen { get; private set; }

        /// <summary>Gets a value indicating whether the session is authenticated.</summary>
        public bool IsAuthenticated { get; private set; }

        /// <summary>Copies the 8-byte session id.</summary>
        /// <param name="output">Destination.</param>
        /// <param name="offset">Where the first byte goes.</param>
        public void GetSessionId(byte[] output, int offset)
        {
            Array.Copy(_sessionId, 0, output, offset, _sessionId.Length);
        }

        /// <summary>CreateSession for an authentication object.</summary>
        /// <param name="authObjectId">The UserID or AESKey object.</param>
        /// <returns>The outcome (6985 for an absent or blocked object, 6A84 with two sessions open).</returns>
        /// <exception cref="Se05xException">A malformed answer.</exception>
        public Se05xOutcome Open(uint authObjectId)
        {
            Reset();
            int n = _transport.Transceive(_outer, 0, _commands.CreateSession(authObjectId, _outer, 0), _answer, 0);
            int at;
            Se05xOutcome outcome = Se05xObjectInfo.ReadSessionId(_answer, 0, n, out at);
            if (outcome == Se05xOutcome.Success)
            {
                Array.Copy(_answer, at, _sessionId, 0, _sessionId.Length);
                IsOpen = true;
            }

            return outcome;
        }

        /// <summary>Authenticates a UserID session with VerifySessionUserID.</summary>
        /// <param name="userId">Buffer holding the UserID.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">4 to 16 bytes.</param>
        /// <returns>The outcome: 6985 for a wrong value (one attempt used).</returns>
        public Se05xOutcome VerifyUserId(byte[] userId, int offset, int count)
        {
            RequireOpen();
            int n = _commands.VerifySessionUserId(userId, offset, count, _inner, 0);
            Se05xOutcome outcome = Se05xResponse.ReadStatus(_answer, 0, Send(_inner, n, false));
            IsAuthenticated = outcome == Se05xOutcome.Success;
            return outcome;
        }

        /// <summary>Authenticates an AESKey session: inner INITIALIZE UPDATE and EXTERNAL AUTHENTICATE at level 33.</summary>
        /// <param name="aes">The AES implementation.</param>
        /// <param name="key">Buffer holding the 16-byte key.</param>
        /// <param name="keyOffset">First key byte.</param>
        /// <param name="random">Source of the host challenge.</param>
        /// <returns>The outcome of EXTERNAL AUTHENTICATE (a refusal counts one attempt on the card).</returns>
        /// <exception cref="SecureChannelException">The card cryptogram does not match (wrong key) or an answer is malformed.</exception>
        public Se05xOutcome AuthenticateAesKey(IBlockCipherFactory aes, byte[] key, int keyOffset, IRandomSource random)
        {
            RequireOpen();
            var scp = new Se05xAppletScp03(aes, key, keyOffset);
            byte[] challenge = new byte[8];
            random.Fill(challenge, 0, challenge.Length);
            int r = Send(_inner, scp.BuildInitializeUpdate(challenge, 0, _inner, 0), false);
            if (StatusWord.Read(_answer, 0, r) != StatusWord.Success)
            {
                return Se05xResponse.Classify(StatusWord.Read(_answer, 0, r));
            }

            scp.ProcessInitializeUpdateResponse(_answer, 0, r);
            r = Send(_inner, scp.BuildExternalAuthenticate(_inner, 0), false);
            ushort sw = StatusWord.Read(_answer, 0, r);
            if (sw != StatusWord.Success)
            {
                return Se05xResponse.Classify(sw);
            }

            scp.ProcessExternalAuthenticateResponse(_answer, 0, r);
            _scp = scp;
            IsAuthenticated = true;
            return Se05xOutcome.Success;
        }

        /// <summary>Runs one applet command in the session and returns its plain answer.</summary>
        /// <param name="command">Buffer holding the command as the builders write it.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <param name="response">Destination of the plain answer (data and status word).</param>
        /// <param name="responseOffset">Where the first byte goes.</param>
        /// <returns>The answer length.</returns>
        /// <exception cref="Se05xException">No session, a malformed command, or an outer payload above the limit.</exception>
        /// <exception cref="SecureChannelException">The answer's R-MAC does not verify (the session is then unusable).</exception>
        public int Transceive(byte[] command, int offset, int count, byte[] response, int responseOffset)
        {
            RequireOpen();
            bool longAnswer;
            int n = _scp != null
                ? _scp.WrapCommand(command, offset, count, _inner, 0, out longAnswer)
                : Se05xSessionCommands.ToInner(command, offset, count, _inner, 0, out longAnswer);
            int r = Send(_inner, n, longAnswer);
            int plain = _scp != null ? _scp.UnwrapResponse(_answer, 0, r, _answer, 0) : r;
            Se05xObjectCommands.Check(response != null && responseOffset >= 0 && response.Length - responseOffset >= plain, "The response buffer is too small.");
            Array.Copy(_answer, 0, response, responseOffset, plain);
            return plain;
        }

        /// <summary>CloseSession in the session; the client forgets the session whatever the card answers.</summary>
        /// <returns>The outcome.</returns>
        public Se05xOutcome Close()
        {
            RequireOpen();
            var close = new byte[4];
            _commands.CloseSession(close, 0);
            var plain = new byte[64];
            Se05xOutcome outcome;
            try
            {
                outcome = Se05xResponse.ReadStatus(plain, 0, Transceive(close, 0, close.Length, plain, 0));
            }
            finally
            {
                Reset();
            }

            return outcome;
        }

        private int Send(byte[] inner, int count, bool longAnswer)
        {
            int n = _commands.ProcessSessionCommand(_sessionId, 0, inner, 0, count, longAnswer, _outer, 0);
            return _transport.Transceive(_outer, 0, n, _answer, 0);
        }

        private void RequireOpen()
        {
            if (!IsOpen)
            {
                throw new Se05xException(Se05xError.InvalidArgument, "No applet session is open: call Open first.");
            }
        }

        private void Reset()
        {
            if (_scp != null)
            {
                _scp.Close();
                _scp = null;
            }

            IsOpen = false;
            IsAuthenticated = false;
            Array.Clear(_sessionId, 0, _sessionId.Length);
        }
    }
}
