using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Checks a relay request's authenticator with the tenant's request key (docs/protocol.md §3.9). The agent's
    /// implementation, <see cref="SeRequestVerifier"/>, asks the SE, so the agent holds no tenant secret. Used under the
    /// relay's lock; must not change anything the relay keeps.
    /// </summary>
    public interface IRequestVerifier
    {
        /// <summary>Verifies a request.</summary>
        /// <param name="tenant">The tenant of the request topic (its SD holds the key).</param>
        /// <param name="message">The encoded request.</param>
        /// <param name="signedLength">How many bytes of <paramref name="message"/> the MAC covers.</param>
        /// <param name="authenticator">Key version then the 16-byte MAC.</param>
        /// <returns>The verdict.</returns>
        RequestVerification Verify(Tenant tenant, byte[] message, int signedLength, byte[] authenticator);
    }
}
