using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Decides whether an SE05x tenant's step may reach the SE (docs/protocol.md §4.6). A step is an APDU to NXP's IoT applet
    /// that the relay puts, unchanged, into ProcessSessionCmd with the tenant's session id (AN12413 §4.5.2, middleware
    /// se05x_Transform_scp): the tenant's own applet-level SCP03 (INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, then commands
    /// with CLA '84') or plain commands (CLA '80'). Only what the header shows is checked, since the data is the tenant's
    /// (encrypted under C-DECRYPTION); the applet's object policies decide the rest. Pure: no state.
    /// </summary>
    public static class Se05xStepGuard
    {
        /// <summary>What ProcessSessionCmd adds around the step: TAG_SESSION_ID '10 08' and 8 bytes, TAG_1 '41 82 hh ll'.</summary>
        public const int WrapperBytes = 2 + 8 + 4;

        // AN12413 / se05x_enums.h (SE05x_INS_t, SE05x_P2_t).
        private const byte InsInitializeUpdate = 0x50;
        private const byte InsExternalAuthenticate = 0x82;
        private const byte InsMgmt = 0x04;
        private const byte InsMask = 0x1F;

        /// <summary>Checks one step of an SE05x tenant.</summary>
        /// <param name="tenant">The tenant sending it (an SE05x tenant).</param>
        /// <param name="command">The APDU for the applet.</param>
        /// <param name="options">The relay's limits and owner.</param>
        /// <returns><see cref="RejectReason.None"/> when the step may be sent, else why not.</returns>
        public static RejectReason Check(Tenant tenant, byte[] command, RelayOptions options)
        {
            CommandApduView view;
            if (command == null || CommandApduView.TryParse(command, 0, command.Length, out view) != 0)
            {
                return RejectReason.Malformed;
            }

            // The applet's payload limit (892 on applet 3.x, 1024 on 7.x, less platform SCP03) holds for the wrapped command.
            if (command.Length + WrapperBytes > options.MaxCommandData)
            {
                return RejectReason.TooLarge;
            }

            if (view.Cla == 0xFF || view.Ins == 0x70)
            {
                return RejectReason.ForbiddenCommand;
            }

            // The relay selects the applet itself; a SELECT would end every open session.
            if (view.Ins == 0xA4)
            {
                return RejectReason.ForbiddenSelect;
            }

            // The IoT applet answers everything in one response; NXP's host never sends an Le inside ProcessSessionCmd.
            if (view.Ne != 0)
            {
                return RejectReason.Malformed;
            }

            if (LogicalChannel.Of(view.Cla) != 0)
            {
                return RejectReason.InvalidClass;
            }

            // '80' plain, '84' with the tenant's applet-level SCP03: nothing interindustry, nothing chained.
            if (view.Cla != 0x80 && view.Cla != 0x84)
            {
                return RejectReason.ForbiddenCommand;
            }

            if (view.Ins == InsInitializeUpdate || view.Ins == InsExternalAuthenticate)
            {
                return RejectReason.None;
            }

            int instruction = view.Ins & InsMask;
            if (instruction >= 0x01 && instruction <= 0x03)
            {
                // WRITE, READ, CRYPTO with the transient, authentication-object and attestation flags.
                return RejectReason.None;
            }

            if (view.Ins == InsMgmt)
            {
                return CheckManagement(tenant, view.P2, options);
            }

            return RejectReason.ForbiddenCommand;
        }

        private static RejectReason CheckManagement(Tenant tenant, byte p2, RelayOptions options)
        {
            switch (p2)
            {
                case 0x1C: // CloseSession: the tenant's own session (the relay sees it and forgets the session id)
                case 0x20: // GetVersion
                case 0x21: // GetExtendedVersion
                case 0x22: // GetFreeMemory
                case 0x25: // ReadIDList
                case 0x26: // ReadType
                case 0x27: // CheckObjectExists
                case 0x28: // DeleteSecureObject (the object's policy decides)
                case 0x47: // ReadCryptoObjectList
                case 0x49: // GetRandom
                    return RejectReason.None;
                case 0x2A: // DeleteAll
                case 0x3E: // SetLockState (transport lock)
                case 0x3F: // SetAppletFeatures
                case 0x41: // DeleteECCurve (curves are shared by every tenant)
                case 0x52: // SetPlatformSCPRequest
                case 0x57: // SetRestrictedObject
                    // Card-wide settings: the device owner's only.
                    return options.OwnerTenantId != null && tenant.Id == options.OwnerTenantId ? RejectReason.None : RejectReason.ForbiddenCommand;
                default:
                    // CreateSession, Refresh, ExchangeSessionData, VerifySessionUserID belong to the relay; the rest is refused.
                    return RejectReason.ForbiddenCommand;
            }
        }
    }
}
