using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Lifecycle;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// The checks a request passes before anything of it reaches the SE or the store (docs/protocol.md §4.1): the topic's
    /// tenant, the authenticator verified in the SE (§3.9), the target SD, an open session, the owner's rights, the counter
    /// and its window, and every step (§4.2) including the EXTERNAL AUTHENTICATE guard (§4.5). Reads only; used under the
    /// relay's lock.
    /// </summary>
    internal sealed class RequestAdmission
    {
        private readonly TenantRegistry _tenants;
        private readonly IRelayStore _store;
        private readonly RelayOptions _options;
        private readonly InteractiveSessions _sessions;
        private readonly ExternalAuthGuard _guard;
        private readonly IRequestVerifier _verifier;

        public RequestAdmission(TenantRegistry tenants, IRelayStore store, RelayOptions options, InteractiveSessions sessions, ExternalAuthGuard guard, IRequestVerifier verifier)
        {
            _tenants = tenants;
            _store = store;
            _options = options;
            _sessions = sessions;
            _guard = guard;
            _verifier = verifier;
        }

        internal RejectReason Admit(Tenant tenant, string topicTenantId, ScriptRequest request)
        {
            if (tenant == null)
            {
                return RejectReason.UnknownTenant;
            }

            return request.TenantId == tenant.Id ? RejectReason.None : RejectReason.TenantMismatch;
        }

        // docs/protocol.md §3.9: an authenticator of the right form, then the SE's verdict. Nothing is read or written here.
        internal RejectReason Authenticate(Tenant tenant, byte[] payload, int signedLength, byte[] authenticator)
        {
            if (payload == null || authenticator == null || authenticator.Length != RequestMac.AuthenticatorLength
                || !RequestKey.IsRequestKeyVersion(authenticator[0]))
            {
                return RejectReason.NotAuthenticated;
            }

            RequestVerification verdict = _verifier.Verify(tenant, payload, signedLength, authenticator);
            return verdict == RequestVerification.Verified ? RejectReason.None
                : verdict == RequestVerification.Unavailable ? RejectReason.VerifierUnavailable
                : RejectReason.NotAuthenticated;
        }

        internal RejectReason Check(Tenant tenant, ScriptRequest request)
        {
            if (!tenant.IsOwnSd(request.TargetAid, 0, request.TargetAid == null ? 0 : request.TargetAid.Length))
            {
                return RejectReason.TargetMismatch;
            }

            if (_sessions.IsOpen(tenant))
            {
                return RejectReason.Busy;
            }

            // Only the owner clears another tenant's guard, and only a registered one's.
            if (request.ResetAuthGuardOf != null
                && (_options.OwnerTenantId == null || tenant.Id != _options.OwnerTenantId || _tenants.Find(request.ResetAuthGuardOf) == null))
            {
                return RejectReason.ForbiddenCommand;
            }

            // Replay protection: the counter must be strictly greater than the last one accepted (persisted), and at most
            // the window above it, so no request can use up the counter space.
            ulong last = _store.GetCounter(tenant.Id);
            if (request.Counter <= last)
            {
                return RejectReason.ReplayedCounter;
            }

            if (request.Counter - last > _options.CounterWindow)
            {
                return RejectReason.CounterOutOfWindow;
            }

            for (int i = 0; i < request.Steps.Length; i++)
            {
                RejectReason reason = StepGuard.CheckFor(tenant, request.Steps[i].Command, _options);
                if (reason != RejectReason.None)
                {
                    return reason;
                }

                if (_guard.Withholds(tenant, request.Steps[i].Command, request.ResetAuthGuard))
                {
                    return RejectReason.AuthLockout;
                }
            }

            return RejectReason.None;
        }
    }
}
