using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Status
{
    /// <summary>
    /// <see cref="IKeyInfoSource"/> over the SE link, on the tenant's own logical channel: MANAGE CHANNEL open (unless the
    /// basic channel), SELECT the SD, GET DATA '00E0' (Key Information Template, GPC v2.3.1 §11.3.3.1, plain), GET DATA
    /// '00C1' (sequence counter, GPC v2.3.1 §H.3 tag 'C1'; '6A88' where unsupported, as on the virtual SE: the counter is
    /// then -1), MANAGE CHANNEL close. Call it only while the relay is idle: a SELECT ends any SCP03 session on that channel.
    /// Buffers are allocated once.
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
            int channel = tenant.LogicalChannel;
            if (channel != 0)
            {
                ushort opened = Manage(0x00, channel);
                if (opened != StatusWord.Success)
                {
                    // A channel left open is closed and opened again, once (as the relay does).
                    Manage(0x80, channel);
                    opened = Manage(0x00, channel);
                    if (opened != StatusWord.Success)
                    {
                        info.Status = opened;
                        return opened;
                    }
                }
            }

            ushort sw = ReadOpen(tenant, channel, info);
            if (channel != 0)
            {
                Manage(0x80, channel);
            }

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
