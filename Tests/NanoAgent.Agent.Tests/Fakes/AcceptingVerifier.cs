using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>An <see cref="IRequestVerifier"/> that accepts every well-formed authenticator, for rigs whose card is not a GP
/// card (the fault campaign's counting card); verification itself is tested with the SE verifier.</summary>
public sealed class AcceptingVerifier : IRequestVerifier
{
    public int Calls { get; private set; }

    public RequestVerification Verify(Tenant tenant, byte[] message, int signedLength, byte[] authenticator)
    {
        Calls++;
        return RequestVerification.Verified;
    }
}
