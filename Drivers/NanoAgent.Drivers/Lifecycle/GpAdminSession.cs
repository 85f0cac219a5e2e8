using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Lifecycle
{
    /// <summary>
    /// One stakeholder's authenticated management session on one security domain: SELECT, INITIALIZE UPDATE and EXTERNAL
    /// AUTHENTICATE (GP Amd D §7.1), then wrapped commands. Buffers are allocated once per instance. A wrong key set is an
    /// expected outcome (<see cref="Open"/> returns false with <see cref="CardCryptogramFailed"/>), not an exception.
    /// </summary>
    public sealed class GpAdminSession
    {
        private readonly ApduChannel _channel;
        private readonly IRandomSource _random;
        private readonly byte[] _apdu = new byte[300];
        private readonly byte[] _wire = new byte[300];
        private readonly byte[] _response = new byte[300];
        private readonly byte[] _challenge = new byte[8];
        private Scp03HostSession _session;

        /// <summary>Creates a session over an APDU transport.</summary>
        /// <param name="transport">The transport to the SE; not owned.</param>
        /// <param name="random">The source of host challenges.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        public GpAdminSession(IApduTransport transport, IRandomSource random)
        {
            if (transport == null || random == null)
            {
                throw new ArgumentNullException(transport == null ? "transport" : "random");
            }

            _channel = new ApduChannel(transport);
            _random = random;
        }

        /// <summary>Gets the status word of the last command (0 before any).</summary>
        public ushort LastStatus { get; private set; }

        /// <summary>Gets a value indicating whether the last <see cref="Open"/> failed because the card cryptogram did not match (wrong keys).</summary>
        public bool CardCryptogramFailed { get; private set; }

        /// <summary>Gets a value indicating whether a secure channel is open.</summary>
        public bool IsOpen
        {
            get { return _session != null && _session.State == Scp03SessionState.Open; }
        }

        /// <summary>Gets the sequence counter the card reported in the last INITIALIZE UPDATE (-1 before).</summary>
        public int SequenceCounter
        {
            get { return _session == null ? -1 : _session.SequenceCounter; }
        }

        /// <summary>Selects a security domain and opens an SCP03 session with a key set.</summary>
        /// <param name="sdAid">The security domain AID.</param>
        /// <param name="keys">The static keys (their version goes into INITIALIZE UPDATE P1).</param>
        /// <param name="securityLevel">The EXTERNAL AUTHENTICATE security level, for example 0x33.</param>
        /// <returns>True when the session is open; otherwise <see cref="LastStatus"/> or <see cref="CardCryptogramFailed"/> says why.</returns>
        public bool Open(byte[] sdAid, Scp03StaticKeys keys, byte securityLevel)
        {
            Close();
            CardCryptogramFailed = false;
            int n = GpSelect.Build(sdAid, 0, sdAid.Length, _apdu, 0);
            if (Plain(n) != 0x9000)
            {
                return false;
            }

            _session = new Scp03HostSession(keys, 8);
            _random.Fill(_challenge, 0, _challenge.Length);
            n = _session.BuildInitializeUpdate(_challenge, 0, _apdu, 0);
            int r = _channel.Transmit(_apdu, 0, n, _response, 0);
            LastStatus = (ushort)((_response[r - 2] << 8) | _response[r - 1]);
            if (LastStatus != 0x9000)
            {
                return false;
            }

            try
            {
                _session.ProcessInitializeUpdateResponse(_response, 0, r);
            }
            catch (SecureChannelException)
            {
                // GP Amd D §6.2.2.2: the host checks the card cryptogram; a mismatch means other keys.
                CardCryptogramFailed = true;
                _session = null;
                return false;
            }

            n = _session.BuildExternalAuthenticate(securityLevel, _apdu, 0);
            r = _channel.Transmit(_apdu, 0, n, _response, 0);
            LastStatus = (ushort)((_response[r - 2] << 8) | _response[r - 1]);
            if (LastStatus != 0x9000)
            {
                _session = null;
                return false;
            }

            _session.ProcessExternalAuthenticateResponse(_response, 0, r);
            return true;
        }

        /// <summary>Wraps and sends a command of the open session; unwraps the response.</summary>
        /// <param name="command">Buffer holding the plain command APDU.</param>
        /// <param name="offset">First command byte.</param>
        /// <param name="count">Command length.</param>
        /// <param name="response">Buffer receiving the plain response data (without status word).</param>
        /// <param name="responseOffset">Where the first data byte goes.</param>
        /// <returns>The number of data bytes; the status word is in <see cref="LastStatus"/>.</returns>
        /// <exception cref="SecureChannelException">No session is open, or the response fails its R-MAC (the session is broken).</exception>
        public int Send(byte[] command, int offset, int count, byte[] response, int responseOffset)
        {
            if (!IsOpen)
            {
                throw new SecureChannelException(SecureChannelError.InvalidState, "Open a session first.");
            }

            int w = _session.Wrap(command, offset, count, _wire, 0);
            int r = _channel.Transmit(_wire, 0, w, _response, 0);
            int p = _session.Unwrap(_response, 0, r, _response, 0);
            LastStatus = (ushort)((_response[p - 2] << 8) | _response[p - 1]);
            Array.Copy(_response, 0, response, responseOffset, p - 2);
            return p - 2;
        }

        /// <summary>Forgets the session (the card ends it at the next SELECT).</summary>
        public void Close()
        {
            if (_session != null)
            {
                _session.Close();
                _session = null;
            }
        }

        private ushort Plain(int n)
        {
            int r = _channel.Transmit(_apdu, 0, n, _response, 0);
            LastStatus = (ushort)((_response[r - 2] << 8) | _response[r - 1]);
            return LastStatus;
        }
    }
}
