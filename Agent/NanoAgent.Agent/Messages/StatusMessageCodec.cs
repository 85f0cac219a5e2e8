using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Messages
{
    /// <summary>Encodes and decodes the agent status (E6), the retained message and last will on the status topic (docs/protocol.md §3.7).</summary>
    public static class StatusMessageCodec
    {
        /// <summary>Encodes an agent status.</summary>
        /// <param name="status">The status.</param>
        /// <returns>The message bytes.</returns>
        /// <exception cref="AgentMessageException">The device id is not an identifier.</exception>
        public static byte[] Encode(AgentStatus status)
        {
            if (status == null)
            {
                throw TlvFields.Invalid();
            }

            byte[] buffer = new byte[96];
            BerTlvWriter w = TlvFields.Begin(buffer, MessageType.Status);
            w.WriteByte(0x80, (byte)(status.Online ? 1 : 0));
            if (status.DeviceId != null)
            {
                TlvFields.WriteIdent(w, 0x81, status.DeviceId, 64);
            }

            return TlvFields.End(buffer, w);
        }

        /// <summary>Decodes an agent status.</summary>
        /// <param name="payload">The message bytes.</param>
        /// <returns>The status.</returns>
        /// <exception cref="AgentMessageException">The payload is not a well-formed status.</exception>
        public static AgentStatus DecodeStatus(byte[] payload)
        {
            try
            {
                BerTlvReader r;
                TlvFields.Open(payload, 0, payload == null ? 0 : payload.Length, MessageType.Status, out r);
                AgentStatus status = new AgentStatus();
                int seen = 0;
                while (r.Read())
                {
                    switch (r.Tag)
                    {
                        case 0x80: seen = TlvFields.Mark(seen, 0x80); status.Online = TlvFields.Number(ref r, 0, 1) == 1; break;
                        case 0x81: seen = TlvFields.Mark(seen, 0x81); status.DeviceId = TlvFields.Ident(payload, ref r, 64); break;
                        default: throw TlvFields.Unknown();
                    }
                }

                TlvFields.Require(seen, 0x80);
                return status;
            }
            catch (TlvException e)
            {
                throw new AgentMessageException(AgentMessageError.BadTlv, e.Message);
            }
        }
    }
}
