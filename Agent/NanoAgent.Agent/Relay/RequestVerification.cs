namespace NanoAgent.Agent.Relay
{
    /// <summary>What the verifier said about a request's authenticator (docs/protocol.md §3.9).</summary>
    public enum RequestVerification
    {
        /// <summary>The MAC is right for the tenant's request key of that version.</summary>
        Verified = 0,

        /// <summary>The MAC is wrong (forged, altered, replayed to another device, or made with another key).</summary>
        BadMac = 1,

        /// <summary>The tenant's SD has no request key of that version.</summary>
        NoKey = 2,

        /// <summary>The verifier could not be asked (SE link fault, no free logical channel); nothing is known.</summary>
        Unavailable = 3,
    }
}
