namespace NanoAgent.Agent.Gating
{
    /// <summary>The outcome of an actuate request, sent as '90' in the response (docs/gating.md §Reason codes).</summary>
    public enum ActuationStatus
    {
        /// <summary>0: verified by the SE and applied.</summary>
        Applied = 0,

        /// <summary>1: the payload is not a well-formed actuate request.</summary>
        Malformed = 1,

        /// <summary>2: the tenant in the request is not the topic's, the topic's tenant has no gate, or it may not drive the actuator.</summary>
        WrongTenant = 2,

        /// <summary>3: no actuator with that id on this device.</summary>
        UnknownActuator = 3,

        /// <summary>4: the SE rejected the MAC ('6982'): forged, tampered, or another tenant's key.</summary>
        BadMac = 4,

        /// <summary>5: the SE rejected the counter ('6985'): a replay or an old command.</summary>
        Replayed = 5,

        /// <summary>6: the tenant's gate has no key ('6A88').</summary>
        NotKeyed = 6,

        /// <summary>7: the SE answered another status word (for example '6581' when it could not save the counter).</summary>
        SeError = 7,

        /// <summary>8: verified, but the actuator refused the command.</summary>
        ActuatorRefused = 8,

        /// <summary>9: the request names another device.</summary>
        WrongDevice = 9,
    }
}
