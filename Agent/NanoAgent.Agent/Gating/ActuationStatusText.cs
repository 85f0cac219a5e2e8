namespace NanoAgent.Agent.Gating
{
    /// <summary>Fixed English text for each <see cref="ActuationStatus"/> (the device cannot name enum values).</summary>
    public static class ActuationStatusText
    {
        /// <summary>Returns the text sent with a status.</summary>
        /// <param name="status">The status.</param>
        /// <returns>A short sentence.</returns>
        public static string Of(ActuationStatus status)
        {
            switch (status)
            {
                case ActuationStatus.Applied: return "applied";
                case ActuationStatus.Malformed: return "malformed request";
                case ActuationStatus.WrongTenant: return "wrong tenant for this topic or actuator";
                case ActuationStatus.UnknownActuator: return "unknown actuator";
                case ActuationStatus.BadMac: return "MAC rejected by the secure element";
                case ActuationStatus.Replayed: return "replayed or old command counter";
                case ActuationStatus.NotKeyed: return "the tenant's gate has no key";
                case ActuationStatus.SeError: return "secure element error";
                case ActuationStatus.ActuatorRefused: return "actuator refused the command";
                case ActuationStatus.WrongDevice: return "request is for another device";
                default: return "unknown status";
            }
        }
    }
}
