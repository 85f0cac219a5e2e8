namespace NanoAgent.Agent.Messages
{
    /// <summary>Why a request was rejected before any byte reached the SE.</summary>
    public enum RejectReason
    {
        /// <summary>Not rejected.</summary>
        None = 0,

        /// <summary>The tenant is not in the registry.</summary>
        UnknownTenant = 1,

        /// <summary>The tenant named in the message is not the tenant of the topic it came on.</summary>
        TenantMismatch = 2,

        /// <summary>The counter is not greater than the tenant's last accepted counter.</summary>
        ReplayedCounter = 3,

        /// <summary>The script exceeds the tenant's size limit.</summary>
        TooLarge = 4,

        /// <summary>A step selects an application other than the tenant's own SD (or selects by other means than DF name).</summary>
        ForbiddenSelect = 5,

        /// <summary>A step is MANAGE CHANNEL or another command the relay keeps for itself.</summary>
        ForbiddenCommand = 6,

        /// <summary>
        /// A step's class byte is not one the relay can put on the session's logical channel: RFU ('20'-'3F', 'A0'-'BF') or
        /// an ISO secure messaging format GlobalPlatform does not use (b4 set in the first coding). Before channels were
        /// taken per session this code meant "another channel than the tenant's".
        /// </summary>
        InvalidClass = 7,

        /// <summary>The message or a step's APDU could not be decoded.</summary>
        Malformed = 8,

        /// <summary>Another script or session of this tenant is running.</summary>
        Busy = 9,

        /// <summary>An interactive APDU arrived without an open session of that id.</summary>
        NoSession = 10,

        /// <summary>The target SD AID of the request is not the tenant's SD.</summary>
        TargetMismatch = 11,

        /// <summary>The message type is not accepted on this topic.</summary>
        UnexpectedMessage = 12,

        /// <summary>The request carries no authenticator, a truncated one, one of a key version the tenant does not have,
        /// or one the SE did not verify (docs/protocol.md §3.9).</summary>
        NotAuthenticated = 13,

        /// <summary>The counter is more than the window above the tenant's last accepted counter (docs/protocol.md §4.1).</summary>
        CounterOutOfWindow = 14,

        /// <summary>An INITIALIZE UPDATE was withheld: too many failed EXTERNAL AUTHENTICATEs on the tenant's SD (§4.5).</summary>
        AuthLockout = 15,

        /// <summary>
        /// The relay could not durably record the request or the APDU (its store failed), so it did not send anything to
        /// the SE; the counter was not consumed. Send again later; the agent's log says what is wrong with its store.
        /// </summary>
        StorageError = 0x10,

        /// <summary>The SE could not be asked to verify the request (link fault); nothing was consumed.</summary>
        VerifierUnavailable = 0x11,

        /// <summary>
        /// No logical channel became free for the session within the relay's wait (every channel held by other sessions),
        /// or too many requests were already waiting; nothing was consumed. Send again later (docs/protocol.md §4.3).
        /// </summary>
        NoFreeChannel = 0x12,
    }
}
