using System;
using NanoAgent.Drivers.Crypto;

namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// The host (back-end) side of an SCP03 session with explicit initiation (GP Amd D §5.2): builds INITIALIZE UPDATE,
    /// checks the card cryptogram, builds EXTERNAL AUTHENTICATE, then wraps commands and unwraps responses.
    /// <see cref="ForPrecomputed"/> prepares a whole script offline when the card uses pseudo-random challenges.
    /// Never logs keys; exceptions carry no key material.
    /// </summary>
    public sealed class Scp03HostSession
    {
        private const byte InsInitializeUpdate = 0x50;
        private const byte InsExternalAuthenticate = 0x82;

        private readonly Scp03StaticKeys _keys;
        private readonly int _challengeLength;
        private readonly byte[] _hostChallenge;
        private readonly byte[] _cardChallenge;
        private readonly byte[] _cryptogram;
        private readonly bool _precomputed;
        private Scp03SessionKeys _sessionKeys;
        private Scp03Wrapper _wrapper;
        private byte _iParameter;
        private int _sequenceCounter = -1;

        /// <summary>Creates a session that will exchange INITIALIZE UPDATE with the card.</summary>
        /// <param name="keys">The static keys; their key version goes into INITIALIZE UPDATE P1.</param>
        /// <param name="challengeLength">8 for S8 mode (the usual), 16 for S16 mode.</param>
        /// <exception cref="SecureChannelException">The challenge length is not 8 or 16 (<see cref="SecureChannelError.InvalidArgument"/>).</exception>
        public Scp03HostSession(Scp03StaticKeys keys, int challengeLength)
            : this(keys, challengeLength, false)
        {
        }

        private Scp03HostSession(Scp03StaticKeys keys, int challengeLength, bool precomputed)
        {
            if (keys == null)
            {
                throw new ArgumentNullException("keys");
            }

            if (challengeLength != 8 && challengeLength != 16)
            {
                throw new SecureChannelException(SecureChannelError.InvalidArgument, "SCP03 challenges are 8 (S8) or 16 (S16) bytes.");
            }

            _keys = keys;
            _challengeLength = challengeLength;
            _precomputed = precomputed;
            _hostChallenge = new byte[challengeLength];
            _cardChallenge = new byte[challengeLength];
            _cryptogram = new byte[challengeLength];
        }

        /// <summary>Gets where the session is in the initiation sequence.</summary>
        public Scp03SessionState State { get; private set; }

        /// <summary>Gets the security level sent in EXTERNAL AUTHENTICATE (0 before).</summary>
        public byte SecurityLevel { get; private set; }

        /// <summary>Gets the i parameter the card reported (or the one given to <see cref="ForPrecomputed"/>).</summary>
        public byte IParameter
        {
            get { return _iParameter; }
        }

        /// <summary>Gets the sequence counter the card reported, or -1 when its challenge is random.</summary>
        public int SequenceCounter
        {
            get { return _sequenceCounter; }
        }

        /// <summary>Gets the session keys once the card challenge is known (null before).</summary>
        public Scp03SessionKeys SessionKeys
        {
            get { return _sessionKeys; }
        }

        /// <summary>
        /// Prepares a session offline for a card with pseudo-random challenges (Amd D §6.2.2.1): the card challenge is computed
        /// from the sequence counter the card will report and the security domain AID, so INITIALIZE UPDATE, EXTERNAL AUTHENTICATE
        /// and every wrapped command can be built without a round trip. Call <see cref="BuildInitializeUpdate(byte[], int)"/> first.
        /// Replaying the same steps with the same inputs gives the same bytes, so responses can be checked later in order.
        /// </summary>
        /// <param name="keys">The static keys.</param>
        /// <param name="sequenceCounter">The 24-bit counter value the card will put in its INITIALIZE UPDATE response.</param>
        /// <param name="aid">Buffer holding the AID of the security domain.</param>
        /// <param name="aidOffset">First AID byte.</param>
        /// <param name="aidCount">AID length, 5 to 16.</param>
        /// <param name="iParameter">The card's i parameter (must have the pseudo-random bit; bit b1 selects S16 mode).</param>
        /// <param name="hostChallenge">Buffer holding a fresh random host challenge (8 bytes, 16 in S16 mode).</param>
        /// <param name="hostChallengeOffset">First host challenge byte.</param>
        /// <returns>A session in state <see cref="Scp03SessionState.Idle"/> with its keys already derived.</returns>
        /// <exception cref="SecureChannelException">An argument is out of range or the i parameter lacks the pseudo-random bit.</exception>
        public static Scp03HostSession ForPrecomputed(
            Scp03StaticKeys keys,
            int sequenceCounter,
            byte[] aid,
            int aidOffset,
            int aidCount,
            byte iParameter,
            byte[] hostChallenge,
            int hostChallengeOffset)
        {
            if ((iParameter & Scp03SecurityLevel.PseudoRandomChallenge) == 0)
            {
                throw new SecureChannelException(SecureChannelError.UnsupportedProtocol, "Precomputing needs a card with pseudo-random challenges (i bit 0x10).");
            }

            int length = (iParameter & Scp03SecurityLevel.S16Mode) != 0 ? 16 : 8;
            Scp03HostSession session = new Scp03HostSession(keys, length, true);
            Array.Copy(hostChallenge, hostChallengeOffset, session._hostChallenge, 0, length);
            keys.ComputeCardChallenge(sequenceCounter, aid, aidOffset, aidCount, length, session._cardChallenge, 0);
            session._iParameter = iParameter;
            session._sequenceCounter = sequenceCounter;
            session._sessionKeys = Scp03SessionKeys.Derive(keys, session._hostChallenge, 0, session._cardChallenge, 0, length);
            return session;
        }

        /// <summary>Builds INITIALIZE UPDATE: 80 50 KVN 00 Lc host-challenge 00 (Amd D §7.1.1).</summary>
        /// <param name="hostChallenge">Buffer holding a fresh random host challenge (8 or 16 bytes as chosen).</param>
        /// <param name="hostChallengeOffset">First host challenge byte.</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the first command byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="SecureChannelException">The session is not idle or the buffer is too small.</exception>
        public int BuildInitializeUpdate(byte[] hostChallenge, int hostChallengeOffset, byte[] apdu, int offset)
        {
            RequireState(Scp03SessionState.Idle);
            if (_precomputed)
            {
                throw new SecureChannelException(SecureChannelError.InvalidState, "A precomputed session already has its host challenge.");
            }

            Array.Copy(hostChallenge, hostChallengeOffset, _hostChallenge, 0, _challengeLength);
            int n = WriteInitializeUpdate(apdu, offset);
            State = Scp03SessionState.InitializeUpdateSent;
            return n;
        }

        /// <summary>Builds INITIALIZE UPDATE of a precomputed session with its stored host challenge.</summary>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the first command byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="SecureChannelException">The session is not a precomputed idle session, or the buffer is too small.</exception>
        public int BuildInitializeUpdate(byte[] apdu, int offset)
        {
            RequireState(Scp03SessionState.Idle);
            if (!_precomputed)
            {
                throw new SecureChannelException(SecureChannelError.InvalidState, "Only a precomputed session builds INITIALIZE UPDATE without a host challenge.");
            }

            int n = WriteInitializeUpdate(apdu, offset);
            State = Scp03SessionState.CardAuthenticated;
            return n;
        }

        /// <summary>Checks the INITIALIZE UPDATE response, derives the session keys and verifies the card cryptogram in constant time.</summary>
        /// <param name="response">Buffer holding the response (data and SW1 SW2).</param>
        /// <param name="offset">First response byte.</param>
        /// <param name="count">Response length.</param>
        /// <exception cref="SecureChannelException">Wrong state, a rejected or malformed response, another key version, or
        /// <see cref="SecureChannelError.CardCryptogramMismatch"/>; the session is then closed.</exception>
        public void ProcessInitializeUpdateResponse(byte[] response, int offset, int count)
        {
            RequireState(Scp03SessionState.InitializeUpdateSent);
            Scp03InitializeUpdateResponse view;
            SecureChannelError error = Scp03InitializeUpdateResponse.TryParse(response, offset, count, _challengeLength, out view);
            if (error != 0)
            {
                Fail(error, "The INITIALIZE UPDATE response was rejected or malformed.");
            }

            if (_keys.KeyVersion != 0 && view.KeyVersion != _keys.KeyVersion)
            {
                Fail(SecureChannelError.KeyVersionMismatch, "The card answered with another key version.");
            }

            _iParameter = view.IParameter;
            _sequenceCounter = view.SequenceCounter;
            Array.Copy(response, view.CardChallengeOffset, _cardChallenge, 0, _challengeLength);
            _sessionKeys = Scp03SessionKeys.Derive(_keys, _hostChallenge, 0, _cardChallenge, 0, _challengeLength);

            // Amd D §6.2.2.2: the card proves it knows the keys; compare in constant time.
            _sessionKeys.ComputeCardCryptogram(_cryptogram, 0);
            if (!ConstantTime.AreEqual(_cryptogram, 0, response, view.CardCryptogramOffset, _challengeLength))
            {
                Fail(SecureChannelError.CardCryptogramMismatch, "The card cryptogram does not match: wrong keys or not the expected card.");
            }

            State = Scp03SessionState.CardAuthenticated;
        }

        /// <summary>Copies the card cryptogram the card must send (for checking a precomputed session's card later).</summary>
        /// <param name="output">Buffer receiving 8 or 16 bytes.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <exception cref="SecureChannelException">The session keys are not known yet (<see cref="SecureChannelError.InvalidState"/>).</exception>
        public void GetExpectedCardCryptogram(byte[] output, int offset)
        {
            if (_sessionKeys == null)
            {
                throw new SecureChannelException(SecureChannelError.InvalidState, "The card challenge is not known yet.");
            }

            _sessionKeys.ComputeCardCryptogram(output, offset);
        }

        /// <summary>
        /// Builds EXTERNAL AUTHENTICATE: 84 82 level 00 Lc host-cryptogram C-MAC, MACed with a zero chaining value (Amd D §7.1.2).
        /// A precomputed session opens at once; otherwise call <see cref="ProcessExternalAuthenticateResponse"/>.
        /// </summary>
        /// <param name="securityLevel">00, 01, 03, 11, 13 or 33 (see <see cref="Scp03SecurityLevel"/>).</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the first command byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="SecureChannelException">Wrong state, an unsupported level, or the buffer is too small.</exception>
        public int BuildExternalAuthenticate(byte securityLevel, byte[] apdu, int offset)
        {
            RequireState(Scp03SessionState.CardAuthenticated);
            if (!Scp03SecurityLevel.IsSupported(securityLevel, _iParameter))
            {
                throw new SecureChannelException(SecureChannelError.InvalidSecurityLevel, "Security level not allowed by Amd D or not supported by the card.");
            }

            int macLength = _sessionKeys.MacLength;
            int lc = _challengeLength + macLength;
            CheckCapacity(apdu, offset, 5 + lc);
            apdu[offset] = 0x84;
            apdu[offset + 1] = InsExternalAuthenticate;
            apdu[offset + 2] = securityLevel;
            apdu[offset + 3] = 0x00;
            apdu[offset + 4] = (byte)lc;
            _sessionKeys.ComputeHostCryptogram(apdu, offset + 5);

            // Amd D §6.2.4: the MAC chaining value is 16 zero bytes for EXTERNAL AUTHENTICATE; its full CMAC chains on.
            byte[] chaining = new byte[16];
            _sessionKeys.ComputeCommandMac(chaining, 0x84, InsExternalAuthenticate, securityLevel, 0x00, lc, apdu, offset + 5, _challengeLength, chaining);
            Array.Copy(chaining, 0, apdu, offset + 5 + _challengeLength, macLength);
            _wrapper = new Scp03Wrapper(_sessionKeys, securityLevel, chaining, 0);
            SecurityLevel = securityLevel;
            State = _precomputed ? Scp03SessionState.Open : Scp03SessionState.ExternalAuthenticateSent;
            return 5 + lc;
        }

        /// <summary>Opens the channel when the card answered EXTERNAL AUTHENTICATE with 9000.</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First response byte.</param>
        /// <param name="count">Response length.</param>
        /// <exception cref="SecureChannelException">Wrong state, or <see cref="SecureChannelError.ExternalAuthenticateRejected"/>; the session is then closed.</exception>
        public void ProcessExternalAuthenticateResponse(byte[] response, int offset, int count)
        {
            RequireState(Scp03SessionState.ExternalAuthenticateSent);
            if (response == null || count != 2 || offset < 0 || offset + 2 > response.Length
                || response[offset] != 0x90 || response[offset + 1] != 0x00)
            {
                Fail(SecureChannelError.ExternalAuthenticateRejected, "The card rejected EXTERNAL AUTHENTICATE.");
            }

            State = Scp03SessionState.Open;
        }

        /// <summary>Wraps a plain command (see <see cref="Scp03Wrapper.Wrap"/>).</summary>
        /// <param name="command">Buffer holding the plain command.</param>
        /// <param name="offset">First command byte.</param>
        /// <param name="count">Command length.</param>
        /// <param name="output">Buffer receiving the wrapped command.</param>
        /// <param name="outputOffset">Where the first wrapped byte goes.</param>
        /// <returns>The wrapped command length.</returns>
        /// <exception cref="SecureChannelException">The session is not open, or the command cannot be wrapped.</exception>
        public int Wrap(byte[] command, int offset, int count, byte[] output, int outputOffset)
        {
            RequireState(Scp03SessionState.Open);
            return _wrapper.Wrap(command, offset, count, output, outputOffset);
        }

        /// <summary>Unwraps the response to the last wrapped command (see <see cref="Scp03Wrapper.Unwrap"/>); a failure changes nothing.</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First response byte.</param>
        /// <param name="count">Response length.</param>
        /// <param name="output">Buffer receiving the plain response.</param>
        /// <param name="outputOffset">Where the first plain byte goes.</param>
        /// <returns>The plain response length, including the status word.</returns>
        /// <exception cref="SecureChannelException">The session is not open, or the response does not verify.</exception>
        public int Unwrap(byte[] response, int offset, int count, byte[] output, int outputOffset)
        {
            RequireState(Scp03SessionState.Open);
            return _wrapper.Unwrap(response, offset, count, output, outputOffset);
        }

        /// <summary>Gets the wrapper of the open session (null before EXTERNAL AUTHENTICATE).</summary>
        public Scp03Wrapper Wrapper
        {
            get { return _wrapper; }
        }

        /// <summary>Ends the session; no further wrapping is possible.</summary>
        public void Close()
        {
            State = Scp03SessionState.Closed;
            _wrapper = null;
            _sessionKeys = null;
        }

        private static void CheckCapacity(byte[] apdu, int offset, int needed)
        {
            if (apdu == null || offset < 0 || apdu.Length - offset < needed)
            {
                throw new SecureChannelException(SecureChannelError.BufferTooSmall, "The buffer cannot hold the command.");
            }
        }

        private int WriteInitializeUpdate(byte[] apdu, int offset)
        {
            CheckCapacity(apdu, offset, 6 + _challengeLength);
            apdu[offset] = 0x80;
            apdu[offset + 1] = InsInitializeUpdate;
            apdu[offset + 2] = _keys.KeyVersion;
            apdu[offset + 3] = 0x00;
            apdu[offset + 4] = (byte)_challengeLength;
            Array.Copy(_hostChallenge, 0, apdu, offset + 5, _challengeLength);
            apdu[offset + 5 + _challengeLength] = 0x00;
            return 6 + _challengeLength;
        }

        private void RequireState(Scp03SessionState expected)
        {
            if (State != expected)
            {
                throw new SecureChannelException(SecureChannelError.InvalidState, "The SCP03 session is not in the state this step needs.");
            }
        }

        private void Fail(SecureChannelError error, string message)
        {
            Close();
            throw new SecureChannelException(error, message);
        }
    }
}
