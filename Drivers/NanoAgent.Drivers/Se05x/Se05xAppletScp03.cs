using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// The SCP03 part of an AESKey applet session (se05x-facts.md §5; NXP fsl_sss_se05x_scp03.c, se05x_tlv.c
    /// se05x_Transform_scp): the part that needs the tenant's key and can therefore run on its backend, away from the
    /// agent that knows the session id. It builds the inner INITIALIZE UPDATE (<c>80 50 00 00 08</c> host challenge, key
    /// version 00, no Le) and EXTERNAL AUTHENTICATE (<c>84 82 33 00 10</c>: C-MAC, C-DEC, R-MAC, R-ENC), checks the card
    /// cryptogram, then wraps each inner command in the session's inner form (no Le; Lc <c>00 hh ll</c> when the command
    /// expects a long answer or the wrapped Lc reaches FF) and unwraps each inner answer. The AESKey object's one 16-byte
    /// value is the static ENC, MAC and DEK key. Errors come back bare; the counter still advances with every command.
    /// Buffers are allocated once; wrapping and unwrapping allocate nothing. Not thread-safe.
    /// </summary>
    public sealed class Se05xAppletScp03
    {
        /// <summary>The security level the middleware asks for (SECLVL_CDEC_RENC_CMAC_RMAC).</summary>
        public const byte SecurityLevel = 0x33;

        private const int ChallengeLength = 8;
        private const int Overhead = 7 + 16 + 16;

        private readonly Scp03HostSession _session;
        private readonly byte[] _scratch = new byte[4 + 3 + Se05xApduWriter.MaxPayload + Overhead];
        private readonly byte[] _plain = new byte[4 + 3 + Se05xApduWriter.MaxPayload + Overhead];

        /// <summary>Creates the SCP03 side for one AESKey authentication object.</summary>
        /// <param name="aes">The AES implementation (BouncyCastle on a host, nanoFramework Aes on a device).</param>
        /// <param name="key">Buffer holding the 16-byte AESKey value.</param>
        /// <param name="keyOffset">First key byte.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        public Se05xAppletScp03(IBlockCipherFactory aes, byte[] key, int keyOffset)
        {
            if (aes == null)
            {
                throw new ArgumentNullException("aes");
            }

            byte[] k = new byte[Se05xAuthObjectCommands.AesKeyLength];
            Array.Copy(key, keyOffset, k, 0, k.Length);
            _session = new Scp03HostSession(new Scp03StaticKeys(aes, 0x00, k, k, k), ChallengeLength);
            Array.Clear(k, 0, k.Length);
        }

        /// <summary>Gets a value indicating whether the session is authenticated and wrapping.</summary>
        public bool IsOpen
        {
            get { return _session.State == Scp03SessionState.Open; }
        }

        /// <summary>Builds the inner INITIALIZE UPDATE: <c>80 50 00 00 08</c> host challenge.</summary>
        /// <param name="hostChallenge">Buffer holding 8 fresh random bytes.</param>
        /// <param name="hostChallengeOffset">First byte.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>13.</returns>
        /// <exception cref="SecureChannelException">The session is not at its start, or the buffer is too small.</exception>
        public int BuildInitializeUpdate(byte[] hostChallenge, int hostChallengeOffset, byte[] buffer, int offset)
        {
            // Scp03HostSession adds Le 00; DoAPDUTxRx_s_Case4 sends none, and an inner APDU has none.
            return _session.BuildInitializeUpdate(hostChallenge, hostChallengeOffset, buffer, offset) - 1;
        }

        /// <summary>Checks the inner INITIALIZE UPDATE answer and the card cryptogram.</summary>
        /// <param name="response">Buffer holding the answer.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, status word included.</param>
        /// <exception cref="SecureChannelException">A refusal, a malformed answer or <see cref="SecureChannelError.CardCryptogramMismatch"/> (wrong key).</exception>
        public void ProcessInitializeUpdateResponse(byte[] response, int offset, int count)
        {
            _session.ProcessInitializeUpdateResponse(response, offset, count);
        }

        /// <summary>Builds the inner EXTERNAL AUTHENTICATE at level 33.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>21.</returns>
        /// <exception cref="SecureChannelException">Wrong state or a small buffer.</exception>
        public int BuildExternalAuthenticate(byte[] buffer, int offset)
        {
            return _session.BuildExternalAuthenticate(SecurityLevel, buffer, offset);
        }

        /// <summary>Opens the session when the card answered EXTERNAL AUTHENTICATE with 9000.</summary>
        /// <param name="response">Buffer holding the answer.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <exception cref="SecureChannelException"><see cref="SecureChannelError.ExternalAuthenticateRejected"/>.</exception>
        public void ProcessExternalAuthenticateResponse(byte[] response, int offset, int count)
        {
            _session.ProcessExternalAuthenticateResponse(response, offset, count);
        }

        /// <summary>
        /// Wraps an inner command. <paramref name="command"/> may be as the builders write it (with Le) or already in inner
        /// form; <paramref name="expectLongResponse"/> says whether the outer ProcessSessionCmd must ask for a long answer.
        /// </summary>
        /// <param name="command">Buffer holding the plain command.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <param name="output">Destination.</param>
        /// <param name="outputOffset">Where the wrapped inner CLA byte goes.</param>
        /// <param name="expectLongResponse">True when the command expects a long answer.</param>
        /// <returns>The wrapped inner command length.</returns>
        /// <exception cref="SecureChannelException">The session is not open, or the command cannot be wrapped.</exception>
        /// <exception cref="Se05xException">The command is malformed.</exception>
        public int WrapCommand(byte[] command, int offset, int count, byte[] output, int outputOffset, out bool expectLongResponse)
        {
            int n = Se05xSessionCommands.ToInner(command, offset, count, _plain, 0, out expectLongResponse);
            CommandApduView view;
            CommandApduView.TryParse(_plain, 0, n, out view);
            int macLength = _session.SessionKeys == null ? 8 : _session.SessionKeys.MacLength;
            int wrappedLc = (view.Nc > 0 ? ((view.Nc / 16) + 1) * 16 : 0) + macLength;
            if (!view.IsExtended && wrappedLc >= 0xFF)
            {
                // se05x_Transform_scp: a wrapped Lc of FF or more goes in the extended form.
                Array.Copy(_plain, 0, _scratch, 0, n);
                n = CommandApduForms.ToExtended(_scratch, view, _plain, 0);
            }

            return _session.Wrap(_plain, 0, n, output, outputOffset);
        }

        /// <summary>Unwraps an inner answer (R-MAC checked, R-ENC removed); a bare error status word passes through.</summary>
        /// <param name="response">Buffer holding the answer.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <param name="output">Destination (may be the same buffer at the same offset).</param>
        /// <param name="outputOffset">Where the first plain byte goes.</param>
        /// <returns>The plain answer length, status word included.</returns>
        /// <exception cref="SecureChannelException">An R-MAC or padding error (the session should then be dropped).</exception>
        public int UnwrapResponse(byte[] response, int offset, int count, byte[] output, int outputOffset)
        {
            return _session.Unwrap(response, offset, count, output, outputOffset);
        }

        /// <summary>Ends the session on this side.</summary>
        public void Close()
        {
            _session.Close();
        }
    }
}
