namespace NanoAgent.Agent.Messages
{
    /// <summary>The agent status (message E6), published retained; the "offline" form is the MQTT last will.</summary>
    public sealed class AgentStatus
    {
        /// <summary>Gets or sets a value indicating whether the agent is online.</summary>
        public bool Online { get; set; }

        /// <summary>Gets or sets the device id, or null.</summary>
        public string DeviceId { get; set; }
    }
}
