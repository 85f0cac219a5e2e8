using System;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// <see cref="IReadingGate"/> for the nanoAgent gate applet (docs/gating.md): SELECT the tenant's gate instance, then
    /// SIGN READING (CLA '80', INS 'A0') or VERIFY COMMAND (INS 'A2'). It selects before every operation because the relay
    /// may select other applications on the same channel in between. Buffers are allocated once.
    /// </summary>
    public sealed class GateAppletClient : IReadingGate
    {
        private const int SignatureOutput = 8 + 64;
        private const int MacOutput = 8 + 16 + 3;
        private readonly ApduChannel _channel;
        private readonly byte[] _aid;
        private readonly bool _ecdsa;
        private readonly byte[] _command = new byte[261];
        private readonly byte[] _response = new byte[258];

        /// <summary>Creates a client for one gate instance.</summary>
        /// <param name="transport">The APDU transport to the SE.</param>
        /// <param name="gateAid">The tenant's gate instance AID (5 to 16 bytes); copied.</param>
        /// <param name="useSignature">True to sign readings with the gate's ECDSA key, false for its CMAC key.</param>
        /// <exception cref="ArgumentException">The AID is not 5 to 16 bytes or the transport is null.</exception>
        public GateAppletClient(IApduTransport transport, byte[] gateAid, bool useSignature)
        {
            if (transport == null || gateAid == null || gateAid.Length < 5 || gateAid.Length > 16)
            {
                throw new ArgumentException("A gate client needs a transport and a 5- to 16-byte AID.");
            }

            _channel = new ApduChannel(transport);
            _aid = new byte[gateAid.Length];
            Array.Copy(gateAid, _aid, gateAid.Length);
            _ecdsa = useSignature;
        }

        /// <inheritdoc />
        public bool UsesSignature
        {
            get { return _ecdsa; }
        }

        /// <inheritdoc />
        public ushort SignReading(byte[] reading, int offset, int count, byte[] output, int outputOffset, out int written)
        {
            written = 0;
            if (count < 1 || count > 200)
            {
                return 0x6700;
            }

            ushort sw = Select();
            if (sw != 0x9000)
            {
                return sw;
            }

            int n = Header(0xA0, (byte)(_ecdsa ? 1 : 0), count);
            Array.Copy(reading, offset, _command, n, count);
            n += count;
            _command[n++] = 0x00;
            int r = _channel.Transmit(_command, 0, n, _response, 0);
            sw = StatusOf(r);
            int expected = _ecdsa ? SignatureOutput : MacOutput;
            if (sw != 0x9000)
            {
                return sw;
            }

            if (r - 2 != expected)
            {
                // The SE answered '9000' with a response of the wrong shape: report "no precise diagnosis".
                return 0x6F00;
            }

            Array.Copy(_response, 0, output, outputOffset, expected);
            written = expected;
            return sw;
        }

        /// <inheritdoc />
        public ushort VerifyCommand(byte[] data, int offset, int count)
        {
            if (count < 24 || count > 224)
            {
                return 0x6700;
            }

            ushort sw = Select();
            if (sw != 0x9000)
            {
                return sw;
            }

            int n = Header(0xA2, 0x00, count);
            Array.Copy(data, offset, _command, n, count);
            return StatusOf(_channel.Transmit(_command, 0, n + count, _response, 0));
        }

        private ushort Select()
        {
            // ISO/IEC 7816-4 §11.2.2: SELECT by DF name, first or only occurrence, FCI returned.
            _command[0] = 0x00;
            _command[1] = 0xA4;
            _command[2] = 0x04;
            _command[3] = 0x00;
            _command[4] = (byte)_aid.Length;
            Array.Copy(_aid, 0, _command, 5, _aid.Length);
            _command[5 + _aid.Length] = 0x00;
            return StatusOf(_channel.Transmit(_command, 0, 6 + _aid.Length, _response, 0));
        }

        private int Header(byte ins, byte p1, int lc)
        {
            _command[0] = 0x80;
            _command[1] = ins;
            _command[2] = p1;
            _command[3] = 0x00;
            _command[4] = (byte)lc;
            return 5;
        }

        private ushort StatusOf(int length)
        {
            return length < 2 ? (ushort)0x6F00 : (ushort)((_response[length - 2] << 8) | _response[length - 1]);
        }
    }
}
