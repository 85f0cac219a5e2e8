using NanoAgent.Agent.Security;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Protects tenants' SD key sets from being blocked through the relay (docs/protocol.md §4.5): counts consecutive failed
    /// EXTERNAL AUTHENTICATEs (SW other than '9000') per tenant in the store, and once <see cref="RelayOptions.AuthFailureLimit"/>
    /// is reached withholds every INITIALIZE UPDATE of that tenant until a successful EXTERNAL AUTHENTICATE (impossible
    /// without INITIALIZE UPDATE) or the tenant's authenticated reset request clears the count. Used under the relay's lock.
    /// </summary>
    internal sealed class ExternalAuthGuard
    {
        // GP Amd D §7.1.1 INITIALIZE UPDATE ('80 50'), §7.1.2 EXTERNAL AUTHENTICATE ('84 82'): GP proprietary class.
        private const byte InsInitializeUpdate = 0x50;
        private const byte InsExternalAuthenticate = 0x82;

        private readonly IRelayStore _store;
        private readonly int _limit;

        public ExternalAuthGuard(IRelayStore store, RelayOptions options)
        {
            _store = store;
            _limit = options.AuthFailureLimit;
        }

        /// <summary>Gets or sets where failed EXTERNAL AUTHENTICATEs and trips are logged; null logs none.</summary>
        public SecurityLog Security { get; set; }

        /// <summary>Returns whether the command is an INITIALIZE UPDATE the guard withholds now.</summary>
        public bool Withholds(Tenant tenant, byte[] command)
        {
            return Is(command, InsInitializeUpdate) && _store.GetAuthFailures(tenant.Id) >= _limit;
        }

        /// <summary>Counts the answer to an EXTERNAL AUTHENTICATE; other commands are ignored.</summary>
        public void Observe(Tenant tenant, byte[] command, ushort sw)
        {
            if (!Is(command, InsExternalAuthenticate))
            {
                return;
            }

            int failures = _store.GetAuthFailures(tenant.Id);
            int next = sw == StatusWord.Success ? 0 : failures + 1;
            if (next != failures)
            {
                _store.SetAuthFailures(tenant.Id, next);
            }

            SecurityLog security = Security;
            if (security != null && next > 0)
            {
                security.Report(SecurityEventKind.Guard, tenant.Id, "EXTERNAL AUTHENTICATE", null,
                    "refused by the SE (SW " + sw.ToString("X4") + "), " + next.ToString() + " in a row of " + _limit.ToString() + " allowed");
                if (next == _limit)
                {
                    security.Report(SecurityEventKind.Guard, tenant.Id, "INITIALIZE UPDATE", null,
                        "guard tripped after " + next.ToString() + " failed EXTERNAL AUTHENTICATEs: withheld until a reset request");
                }
            }
        }

        /// <summary>Clears a tenant's count (its authenticated reset request).</summary>
        public void Reset(Tenant tenant)
        {
            if (_store.GetAuthFailures(tenant.Id) != 0)
            {
                _store.SetAuthFailures(tenant.Id, 0);
            }
        }

        private static bool Is(byte[] command, byte ins)
        {
            return command != null && command.Length >= 4 && (command[0] & 0x80) != 0 && command[0] != 0xFF && command[1] == ins;
        }
    }
}
