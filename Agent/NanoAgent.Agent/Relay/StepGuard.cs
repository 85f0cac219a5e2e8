using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Decides whether a tenant's command APDU may reach the SE. Checked for every step before the first byte of a script
    /// is sent, and for every interactive APDU. Pure: no state.
    /// </summary>
    public static class StepGuard
    {
        private const byte InsSelect = 0xA4;
        private const byte InsManageChannel = 0x70;
        private const byte SelectByDfName = 0x04;

        /// <summary>Checks one step by the rules of the tenant's card: <see cref="Se05xStepGuard"/> for an SE05x tenant, else <see cref="Check"/>.</summary>
        /// <param name="tenant">The tenant sending it.</param>
        /// <param name="command">The command APDU.</param>
        /// <param name="options">The relay's limits.</param>
        /// <returns><see cref="RejectReason.None"/> when the command may be sent, else why not.</returns>
        public static RejectReason CheckFor(Tenant tenant, byte[] command, RelayOptions options)
        {
            return tenant.IsSe05x ? Se05xStepGuard.Check(tenant, command, options) : Check(tenant, command, options);
        }

        /// <summary>Checks one command APDU.</summary>
        /// <param name="tenant">The tenant sending it.</param>
        /// <param name="command">The command APDU.</param>
        /// <param name="options">The relay's limits.</param>
        /// <returns><see cref="RejectReason.None"/> when the command may be sent, else why not.</returns>
        public static RejectReason Check(Tenant tenant, byte[] command, RelayOptions options)
        {
            CommandApduView view;
            if (command == null || CommandApduView.TryParse(command, 0, command.Length, out view) != 0)
            {
                return RejectReason.Malformed;
            }

            // Nc above the card's limit would need command chaining, which rewrites CLA b5 under the backend's C-MAC.
            if (view.Nc > options.MaxCommandData || view.Ne > options.MaxResponseData)
            {
                return RejectReason.TooLarge;
            }

            // ISO/IEC 7816-4 §5.4.1: CLA 'FF' is invalid (reserved for PPS).
            if (view.Cla == 0xFF)
            {
                return RejectReason.ForbiddenCommand;
            }

            // The relay puts the session's channel into CLA (GP Amd D §6.2.4 MACs it with channel zero), which needs a class
            // byte GlobalPlatform defines and every channel can carry (GPC v2.3.1 §11.1.4; not RFU, no ISO SM format in b4).
            if (!GpClassByte.IsValid(view.Cla))
            {
                return RejectReason.InvalidClass;
            }

            // ISO/IEC 7816-4 §7.1.2: channels are the relay's to open and close.
            if (view.Ins == InsManageChannel)
            {
                return RejectReason.ForbiddenCommand;
            }

            // §7.1.1: only SELECT by DF name (P1 04), first or only occurrence (P2 b2-b1 = 00), of exactly the tenant's SD.
            if (view.Ins == InsSelect)
            {
                bool own = view.P1 == SelectByDfName && (view.P2 & 0x03) == 0
                    && tenant.IsOwnSd(command, view.DataOffset, view.Nc);
                return own ? RejectReason.None : RejectReason.ForbiddenSelect;
            }

            return RejectReason.None;
        }
    }
}
