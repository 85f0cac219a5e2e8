using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Status
{
    /// <summary>
    /// <see cref="IKeyInfoSource"/> over the SE link, on a logical channel the card assigns (as the request verifier's):
    /// MANAGE CHANNEL open with P2 '00', SELECT the SD, GET DATA '00E0' (Key Information Template, GPC v2.3.1 §11.3.3.1,
    /// plain), GET DATA '00C1' (sequence counter, GPC v2.3.1 §H.3 tag 'C1'; '6A88' where unsupported, as on the virtual SE:
    /// the counter is then -1), MANAGE CHANNEL close. Sessions' channels are never touched; call it while the relay is idle
    /// all the same, so a reading does not take the one channel a waiting session needs. Buffers are allocated once.
    /// </summary>
    public sealed class ApduKeyInfoSource : IKeyInfoSource
    {
        private readonly ApduChannel _channel;
        private readonly byte[] _command = new byte[32];
        private readonly byte[] _response = new byte[1024];

        /// <summary>Creates the source.</summary>
        /// <param name="transport">The SE link the relay uses (serialized); not owned.</param>
        public ApduKeyInfoSource(IApduTransport transport)
        {
            _channel = new ApduChannel(transport);
        }

        /// <inheritdoc />
        public ushort Read(Tenant tenant, SdKeyInfo info)
        {
            info.Clear();

            // ISO/IEC 7816-4 §7.1.2: MANAGE CHANNEL open, P2 '00' (the card assigns), Le '01': the channel number.
            int n = CommandApdu.Write(0x00, 0x70, 0x00, 0x00, null, 0, 0, 1, ApduLengthForm.Short, _command, 0);
            int r = _channel.Transmit(_command, 0, n, _response, 0);
            ushort opened = StatusWord.Read(_response, 0, r);
            if (opened != StatusWord.Success || r != 3)
            {
                info.Status = opened == StatusWord.Success ? (ushort)0x6F00 : opened;
                return info.Status;
            }

            int channel = _response[0];
            ushort sw = ReadOpen(tenant, channel, info);
            Manage(0x80, channel);
            info.Status = sw;
            return sw;
        }

        private ushort ReadOpen(Tenant tenant, int channel, SdKeyInfo info)
        {
            byte cla = LogicalChannel.Encode(0x00, channel);
            byte[] aid = tenant.GetSdAid();
            int n = CommandApdu.Write(cla, 0xA4, 0x04, 0x00, aid, 0, aid.Length, 256, ApduLengthForm.Short, _command, 0);
            ushort sw = StatusWord.Read(_response, 0, _channel.Transmit(_command, 0, n, _response, 0));
            if (sw != StatusWord.Success)
            {
                return sw;
            }

            int r = GetData(cla, 0x00E0);
            sw = StatusWord.Read(_response, 0, r);
            if (sw != StatusWord.Success)
            {
                return sw;
            }

            if (!KeyInformation.TryParse(_response, 0, r - 2, info))
            {
                return 0x6F00;
            }

            r = GetData(cla, 0x00C1);
            if (StatusWord.Read(_response, 0, r) == StatusWord.Success)
            {
                info.SequenceCounter = KeyInformation.ParseCounter(_response, 0, r - 2);
            }

            return StatusWord.Success;
        }

        private int GetData(byte cla, int tag)
        {
            // GPC v2.3.1 §11.3: GET DATA, CLA '80' (or the channel's), INS 'CA', P1-P2 the tag, Le '00'.
            int n = CommandApdu.Write((byte)(cla | 0x80), 0xCA, (byte)(tag >> 8), (byte)tag, null, 0, 0, 256, ApduLengthForm.Short, _command, 0);
            return _channel.Transmit(_command, 0, n, _response, 0);
        }

        // ISO/IEC 7816-4 §7.1.2 MANAGE CHANNEL on the basic channel: P1 00 open, 80 close; P2 the channel number.
        private ushort Manage(byte p1, int channel)
        {
            int n = CommandApdu.Write(0x00, 0x70, p1, (byte)channel, null, 0, 0, 0, ApduLengthForm.Short, _command, 0);
            return StatusWord.Read(_response, 0, _channel.Transmit(_command, 0, n, _response, 0));
        }
    }
}
