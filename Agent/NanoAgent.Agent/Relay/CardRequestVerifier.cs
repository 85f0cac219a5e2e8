using System;
using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Hands each request to the verifier of its tenant's card (docs/protocol.md §3.9): a GP tenant's request key is a key
    /// set in its SD, checked by the request verifier applet (<see cref="SeRequestVerifier"/>); an SE05x tenant's is an AES
    /// key object checked by the IoT applet itself (<see cref="Se05xRequestVerifier"/>). Either may be null when the SE has
    /// no tenant of that kind: such a tenant's requests are then answered <see cref="RequestVerification.NoKey"/>.
    /// </summary>
    public sealed class CardRequestVerifier : IRequestVerifier
    {
        private readonly IRequestVerifier _gp;
        private readonly IRequestVerifier _se05x;

        /// <summary>Creates the dispatcher.</summary>
        /// <param name="gp">The verifier of GP tenants, or null.</param>
        /// <param name="se05x">The verifier of SE05x tenants, or null.</param>
        /// <exception cref="ArgumentNullException">Both are null.</exception>
        public CardRequestVerifier(IRequestVerifier gp, IRequestVerifier se05x)
        {
            if (gp == null && se05x == null)
            {
                throw new ArgumentNullException("gp");
            }

            _gp = gp;
            _se05x = se05x;
        }

        /// <inheritdoc />
        public RequestVerification Verify(Tenant tenant, byte[] message, int signedLength, byte[] authenticator)
        {
            IRequestVerifier verifier = tenant.IsSe05x ? _se05x : _gp;
            return verifier == null ? RequestVerification.NoKey : verifier.Verify(tenant, message, signedLength, authenticator);
        }
    }
}
