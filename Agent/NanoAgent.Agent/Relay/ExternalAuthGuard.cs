using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Keeps a tenant's SD key sets from being blocked through the relay (docs/protocol.md §4.5) by mirroring the card's
    /// count: consecutive failed EXTERNAL AUTHENTICATEs (SW other than '9000') per tenant, kept in the store and cleared only
    /// by a successful one, as the card clears its own. INITIALIZE UPDATE (the start of every attempt) is withheld once the
    /// count reaches <see cref="RelayOptions.AuthFailureLimit"/>; from then on an authenticated reset grants one attempt at
    /// a time, and that attempt counts like any other. No attempt is ever forwarded whose failure would bring the count to
    /// <see cref="RelayOptions.CardAuthFailureLimit"/>, where the card blocks the key set for good. Used under the relay's lock.
    /// The count and the grant are kept in the store as one number per tenant (<see cref="AuthGuardState"/>).
    /// </summary>
    internal sealed class ExternalAuthGuard
    {
        // GP Amd D §7.1.1 INITIALIZE UPDATE ('80 50'), §7.1.2 EXTERNAL AUTHENTICATE ('84 82'): GP proprietary class.
        private const byte InsInitializeUpdate = 0x50;
        private const byte InsExternalAuthenticate = 0x82;

        private readonly IRelayStore _store;
        private readonly int _limit;
        private readonly int _cardLimit;

        public ExternalAuthGuard(IRelayStore store, RelayOptions options)
        {
            _store = store;
            _limit = options.AuthFailureLimit;
            _cardLimit = options.CardAuthFailureLimit;
        }

        /// <summary>Returns whether the command is an INITIALIZE UPDATE the guard withholds now.</summary>
        public bool Withholds(Tenant tenant, byte[] command)
        {
            return Withholds(tenant, command, false);
        }

        /// <summary>Returns whether the command is an INITIALIZE UPDATE the guard withholds, now or once the request's reset
        /// (<paramref name="resetFirst"/>) is applied.</summary>
        public bool Withholds(Tenant tenant, byte[] command, bool resetFirst)
        {
            if (!Is(command, InsInitializeUpdate))
            {
                return false;
            }

            int stored = _store.GetAuthFailures(tenant.Id);
            return !MayAttempt(resetFirst ? AfterReset(stored) : stored);
        }

        /// <summary>Counts the answer to an EXTERNAL AUTHENTICATE; other commands are ignored. Either answer uses up a grant.</summary>
        public void Observe(Tenant tenant, byte[] command, ushort sw)
        {
            if (!Is(command, InsExternalAuthenticate))
            {
                return;
            }

            int stored = _store.GetAuthFailures(tenant.Id);
            int failures = AuthGuardState.Failures(stored);
            int next = sw == StatusWord.Success ? 0 : (failures < AuthGuardState.MaxFailures ? failures + 1 : failures);
            if (next != stored)
            {
                _store.SetAuthFailures(tenant.Id, next);
            }
        }

        /// <summary>
        /// A tenant's (or the owner's) authenticated reset: grants one attempt when the guard withholds and the card leaves
        /// room for one more failure; keeps the count either way.
        /// </summary>
        public void Reset(Tenant tenant)
        {
            int stored = _store.GetAuthFailures(tenant.Id);
            int next = AfterReset(stored);
            if (next != stored)
            {
                _store.SetAuthFailures(tenant.Id, next);
            }
        }

        private int AfterReset(int stored)
        {
            int failures = AuthGuardState.Failures(stored);
            return failures >= _limit && failures + 1 < _cardLimit ? stored | AuthGuardState.GrantedBit : stored;
        }

        private bool MayAttempt(int stored)
        {
            int failures = AuthGuardState.Failures(stored);
            if (failures + 1 >= _cardLimit)
            {
                return false;
            }

            return failures < _limit || AuthGuardState.IsGranted(stored);
        }

        private static bool Is(byte[] command, byte ins)
        {
            return command != null && command.Length >= 4 && (command[0] & 0x80) != 0 && command[0] != 0xFF && command[1] == ins;
        }
    }
}
