using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Agent.Se05x
{
    /// <summary>
    /// The agent's one link to NXP's SE05x IoT applet, shared by the relay (tenants' applet sessions), the request verifier and
    /// the gates (both in the applet's default session). It SELECTs the applet once and then never again while the link
    /// holds, because a SELECT ends every applet session and clears transient objects (AN12413 §3.5); after a link fault the
    /// next user selects again. It knows the applet version from the SELECT answer and so the largest command data the applet
    /// takes (<see cref="MaxCommandData"/>): 892 bytes on applet 3.x (SE050), 1024 on 7.x (SE051), never more than the
    /// transport carries (under platform SCP03 less). Thread-safe: one exchange at a time.
    /// </summary>
    public sealed class Se05xApplet
    {
        /// <summary>The largest command data of applet 3.x (SE050), <see cref="Se05xAppletVersion.MaxPayloadApplet3"/>.</summary>
        public const int Payload3 = Se05xAppletVersion.MaxPayloadApplet3;

        /// <summary>The largest command data of applet 7.2 and later (SE051), <see cref="Se05xAppletVersion.MaxPayloadApplet7"/>.</summary>
        public const int Payload7 = Se05xAppletVersion.MaxPayloadApplet7;

        private readonly IApduTransport _transport;
        private readonly int _transportMax;
        private readonly bool _platformScp;
        private readonly object _lock = new object();
        private readonly Se05xObjectCommands _objects = new Se05xObjectCommands();
        private readonly byte[] _select = new byte[32];
        private readonly byte[] _selectResponse = new byte[258];
        private readonly byte[] _versionBytes = new byte[7];
        private bool _selected;
        private int _versionLength;
        private Se05xAppletVersion _version;

        /// <summary>Creates the link without platform SCP03.</summary>
        /// <param name="transport">Carries the APDUs; not owned.</param>
        /// <param name="transportMaxCommandData">The largest command data the transport carries in one APDU.</param>
        /// <exception cref="ArgumentNullException">The transport is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The transport limit is below 255.</exception>
        public Se05xApplet(IApduTransport transport, int transportMaxCommandData)
            : this(transport, transportMaxCommandData, false)
        {
        }

        /// <summary>Creates the link.</summary>
        /// <param name="transport">Carries the APDUs (above platform SCP03, if any); not owned.</param>
        /// <param name="transportMaxCommandData">The largest plain command data the transport carries in one APDU.</param>
        /// <param name="platformScp">True when <paramref name="transport"/> wraps every command in platform SCP03 at level 33
        /// (S8): the applet's limit holds for the wrapped data, so padding and the 8-byte MAC come off it.</param>
        /// <exception cref="ArgumentNullException">The transport is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The transport limit is below 255.</exception>
        public Se05xApplet(IApduTransport transport, int transportMaxCommandData, bool platformScp)
        {
            if (transport == null)
            {
                throw new ArgumentNullException("transport");
            }

            if (transportMaxCommandData < 255)
            {
                throw new ArgumentOutOfRangeException("transportMaxCommandData");
            }

            _transport = transport;
            _transportMax = transportMaxCommandData;
            _platformScp = platformScp;
        }

        /// <summary>Gets the transport the applet is reached over.</summary>
        public IApduTransport Transport
        {
            get { return _transport; }
        }

        /// <summary>Gets the applet version of the last SELECT (all zero before the first).</summary>
        public Se05xAppletVersion Version
        {
            get
            {
                lock (_lock)
                {
                    return _version;
                }
            }
        }

        /// <summary>
        /// Gets the largest plain command data field the applet takes in one APDU: its payload limit by version
        /// (<see cref="Se05xAppletVersion.MaxPayload"/>: 892 for 3.x and unknown versions, 1024 from 7.2 on), less platform
        /// SCP03's padding and MAC when it is on (879 and 1007), and never more than the transport's. Valid after
        /// <see cref="EnsureSelected"/>.
        /// </summary>
        public int MaxCommandData
        {
            get
            {
                lock (_lock)
                {
                    int applet = PlainLimit(_version.MaxPayload, _platformScp);
                    return applet < _transportMax ? applet : _transportMax;
                }
            }
        }

        /// <summary>Returns the largest plain data whose command fits a payload limit, wrapped or not.</summary>
        /// <param name="payload">The applet's payload limit.</param>
        /// <param name="platformScp">True under platform SCP03 at level 33, S8: data padded to 16 bytes (ISO/IEC 9797-1 method 2,
        /// at least one byte) and an 8-byte C-MAC.</param>
        /// <returns>The limit for plain data.</returns>
        public static int PlainLimit(int payload, bool platformScp)
        {
            return platformScp ? ((payload - 8) / 16 * 16) - 1 : payload;
        }

        /// <summary>Selects the applet unless it is selected already.</summary>
        /// <returns>'9000', or the SELECT's status word ('6A82': no IoT applet on this SE).</returns>
        /// <exception cref="ApduException">The link broke (the next call selects again).</exception>
        public ushort EnsureSelected()
        {
            lock (_lock)
            {
                if (_selected)
                {
                    return StatusWord.Success;
                }

                int n = _objects.Select(_select, 0);
                int r = _transport.Transceive(_select, 0, n, _selectResponse, 0);
                ushort sw = r < 2 ? (ushort)0x6F00 : StatusWord.Read(_selectResponse, 0, r);
                if (sw != StatusWord.Success)
                {
                    return sw;
                }

                Se05xAppletVersion version;
                if (Se05xAppletVersion.TryParse(_selectResponse, 0, r - 2, out version))
                {
                    _version = version;
                    _versionLength = r - 2;
                    Array.Copy(_selectResponse, 0, _versionBytes, 0, _versionLength);
                }

                _selected = true;
                return sw;
            }
        }

        // A step inside ProcessSessionCmd answers what the tenant's command gets, which may be '6D00' from the applet itself.
        private const byte InsProcess = 0x05;

        private static bool IsNotSelected(byte sw1, byte sw2)
        {
            return (sw1 == 0x6D || sw1 == 0x6E) && sw2 == 0x00;
        }

        /// <summary>Copies the SELECT answer's version bytes (what the relay answers a session opening with).</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <returns>The number of bytes (0 before the first SELECT).</returns>
        public int CopyVersion(byte[] buffer, int offset)
        {
            lock (_lock)
            {
                Array.Copy(_versionBytes, 0, buffer, offset, _versionLength);
                return _versionLength;
            }
        }

        /// <summary>Selects the applet again now, ending every applet session and crypto object on the SE (AN12413: they are
        /// transient); the relay does so only when it holds no session itself and the SE has no room for one.</summary>
        /// <returns>The SELECT's status word.</returns>
        /// <exception cref="ApduException">The link broke.</exception>
        public ushort Reselect()
        {
            lock (_lock)
            {
                _selected = false;
                return EnsureSelected();
            }
        }

        /// <summary>Forgets the selection after a link fault or an SE reset: the next user selects again.</summary>
        public void Forget()
        {
            lock (_lock)
            {
                _selected = false;
            }
        }

        /// <summary>Sends one APDU in the applet's default session or inside ProcessSessionCmd, selecting first if needed; an
        /// agent's own command answered '6D00' or '6E00' (the card manager: the SE was reset) selects again and is sent once more.</summary>
        /// <param name="command">Buffer holding the command.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <param name="response">Buffer for the answer.</param>
        /// <param name="responseOffset">Where it goes.</param>
        /// <returns>The answer's length, status word included; a failed SELECT is answered with its status word alone.</returns>
        /// <exception cref="ApduException">The link broke; the selection is forgotten.</exception>
        public int Transceive(byte[] command, int offset, int count, byte[] response, int responseOffset)
        {
            lock (_lock)
            {
                try
                {
                    ushort sw = EnsureSelected();
                    if (sw != StatusWord.Success)
                    {
                        response[responseOffset] = (byte)(sw >> 8);
                        response[responseOffset + 1] = (byte)sw;
                        return 2;
                    }

                    int r = _transport.Transceive(command, offset, count, response, responseOffset);
                    if (r == 2 && IsNotSelected(response[responseOffset], response[responseOffset + 1]) && count > 1 && command[offset + 1] != InsProcess)
                    {
                        // The agent's own commands are the applet's; '6D00' / '6E00' to one of them is the card manager answering,
                        // so the SE was reset (a brown-out the link did not see): select the applet again, then once more.
                        _selected = false;
                        if (EnsureSelected() == StatusWord.Success)
                        {
                            r = _transport.Transceive(command, offset, count, response, responseOffset);
                        }
                    }

                    return r;
                }
                catch (Exception)
                {
                    // Whatever broke (link, block protocol, a power cut of the SE), the applet may have been deselected.
                    _selected = false;
                    throw;
                }
            }
        }
    }
}
