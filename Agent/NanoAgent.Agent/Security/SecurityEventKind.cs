namespace NanoAgent.Agent.Security
{
    /// <summary>What kind of refusal a <see cref="SecurityLog"/> line reports; the rate limit counts per kind and tenant.</summary>
    public enum SecurityEventKind
    {
        /// <summary>A relay request (script or interactive APDU) refused by the agent or the SE (docs/protocol.md §3.8).</summary>
        Request = 0,

        /// <summary>An actuator command refused by the tenant's gate in the SE or by the agent's checks (docs/gating.md).</summary>
        Actuate = 1,

        /// <summary>The EXTERNAL AUTHENTICATE guard: a failed EXTERNAL AUTHENTICATE, or the guard tripping (docs/protocol.md §4.5).</summary>
        Guard = 2,

        /// <summary>A refusal by the broker that the agent sees: its login, a publish or subscription, its session taken over.</summary>
        Broker = 3,
    }
}
