using System;
using NanoAgent.Agent.Se05x;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// The relay's side of the SE: one <see cref="ApduChannel"/> (61xx and 6Cxx handled; no chaining, see
    /// <see cref="RelayOptions.MaxCommandData"/>), one response buffer, the relay's own channel management, and the session's
    /// channel put into the class byte of every step (docs/protocol.md §4.3). SE05x tenants go through
    /// <see cref="Se05xSessionLink"/> instead: an applet session where a GP tenant has a channel and its SD (§4.6).
    /// </summary>
    internal sealed class SeLink
    {
        private readonly ApduChannel _channel;
        private readonly byte[] _control = new byte[4 + 1 + 16 + 1];

        private readonly Se05xSessionLink _se05x;

        public SeLink(IApduTransport transport, RelayOptions options, Se05xApplet applet)
        {
            _channel = new ApduChannel(transport, options.MaxCommandData, options.MaxResponseData, ApduChannel.DefaultMaxRounds);
            Response = new byte[options.MaxResponseData + 2];
            _se05x = new Se05xSessionLink(applet ?? new Se05xApplet(transport, options.MaxCommandData < 255 ? 255 : options.MaxCommandData));
        }

        /// <summary>Gets the number of SE05x applet sessions the relay holds open.</summary>
        public int Se05xSessions
        {
            get { return _se05x.OpenCount; }
        }

        public byte[] Response { get; }

        /// <summary>
        /// Sends a tenant's command on the session's channel and returns the response length (data and SW) in
        /// <see cref="Response"/>. The class byte is re-encoded for that channel while the command is sent and restored after:
        /// SCP03 MACs it with the channel number zero (GP Amd D §6.2.4), so the tenant's C-MAC still verifies. An SE05x
        /// tenant's step goes unchanged into its applet session instead.
        /// </summary>
        public int Send(Tenant tenant, byte[] command, int channel)
        {
            if (tenant.IsSe05x)
            {
                return _se05x.Send(tenant, command, Response);
            }

            byte cla = command[0];
            command[0] = GpClassByte.OnChannel(cla, channel);
            try
            {
                return _channel.Transmit(command, 0, command.Length, Response, 0);
            }
            finally
            {
                command[0] = cla;
            }
        }

        public ushort Sw(int count)
        {
            return StatusWord.Read(Response, 0, count);
        }

        /// <summary>
        /// Opens the session's logical channel (unless it is the basic channel) and selects the tenant's SD on it.
        /// Returns the SW of the step that failed, or of the SELECT; the SELECT response stays in <see cref="Response"/>.
        /// </summary>
        public ushort OpenAndSelect(Tenant tenant, int channel, out int selectCount)
        {
            if (tenant.IsSe05x)
            {
                return _se05x.Open(tenant, Response, out selectCount);
            }

            selectCount = 0;
            if (channel != 0)
            {
                ushort sw = Manage(0x00, channel);
                if (sw != StatusWord.Success)
                {
                    // A channel left open (by a run cut short) is closed and opened again, once.
                    Manage(0x80, channel);
                    sw = Manage(0x00, channel);
                    if (sw != StatusWord.Success)
                    {
                        return sw;
                    }
                }
            }

            // ISO/IEC 7816-4 §7.1.1: SELECT by DF name, first or only occurrence, return FCI, Le = 00.
            byte[] aid = tenant.GetSdAid();
            byte cla = LogicalChannel.Encode(0x00, channel);
            int length = CommandApdu.Write(cla, 0xA4, 0x04, 0x00, aid, 0, aid.Length, 256, ApduLengthForm.Short, _control, 0);
            selectCount = _channel.Transmit(_control, 0, length, Response, 0);
            return Sw(selectCount);
        }

        /// <summary>Closes the session's logical channel, unless it is the basic channel. Neither the status word nor a link
        /// fault is reported: a channel left open is closed again before the next session opens it.</summary>
        public void Close(Tenant tenant, int channel)
        {
            if (tenant.IsSe05x)
            {
                _se05x.Close(tenant);
                return;
            }

            if (channel == 0)
            {
                return;
            }

            try
            {
                Manage(0x80, channel);
            }
            catch (Exception e)
            {
                // No exception filter (support on the nanoFramework runtime is unconfirmed). Anything else is a bug or a power cut.
                if (!ScriptRelay.IsLinkFault(e))
                {
                    throw;
                }

                // Nothing to do: see OpenAndSelect.
            }
        }

        // ISO/IEC 7816-4 §7.1.2 MANAGE CHANNEL on the basic channel: P1 00 open, 80 close; P2 the channel number.
        private ushort Manage(byte p1, int channel)
        {
            int length = CommandApdu.Write(0x00, 0x70, p1, (byte)channel, null, 0, 0, 0, ApduLengthForm.Short, _control, 0);
            int count = _channel.Transmit(_control, 0, length, Response, 0);
            return Sw(count);
        }
    }
}
