namespace NanoAgent.Agent.Messages
{
    /// <summary>Fixed English text for each <see cref="RejectReason"/> (the device cannot name enum values).</summary>
    public static class RejectReasonText
    {
        /// <summary>Returns the text of a reason.</summary>
        /// <param name="reason">The reason.</param>
        /// <returns>A short phrase.</returns>
        public static string Of(RejectReason reason)
        {
            switch (reason)
            {
                case RejectReason.None: return "not rejected";
                case RejectReason.UnknownTenant: return "unknown tenant: not in the registry";
                case RejectReason.TenantMismatch: return "tenant mismatch: the message names another tenant than its topic";
                case RejectReason.ReplayedCounter: return "replayed counter: not above the last one accepted";
                case RejectReason.TooLarge: return "too large for the tenant's limit";
                case RejectReason.ForbiddenSelect: return "forbidden SELECT: not the tenant's own security domain";
                case RejectReason.ForbiddenCommand: return "forbidden command";
                case RejectReason.InvalidClass: return "invalid class byte for a logical channel";
                case RejectReason.Malformed: return "malformed message";
                case RejectReason.Busy: return "busy: another run of this tenant is open";
                case RejectReason.NoSession: return "no open session with this id";
                case RejectReason.TargetMismatch: return "target mismatch: not the tenant's security domain";
                case RejectReason.UnexpectedMessage: return "unexpected message type";
                case RejectReason.NotAuthenticated: return "not authenticated: no valid request MAC verified by the SE";
                case RejectReason.CounterOutOfWindow: return "counter out of window";
                case RejectReason.AuthLockout: return "EXTERNAL AUTHENTICATE guard: INITIALIZE UPDATE withheld";
                case RejectReason.StorageError: return "relay store error";
                case RejectReason.VerifierUnavailable: return "the SE could not verify the request (link fault)";
                case RejectReason.NoFreeChannel: return "no free logical channel: every one is held by other sessions";
                default: return "unknown reason";
            }
        }
    }
}
