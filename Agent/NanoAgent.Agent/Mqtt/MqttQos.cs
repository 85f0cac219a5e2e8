namespace NanoAgent.Agent.Mqtt
{
    /// <summary>MQTT quality of service levels (MQTT 3.1.1 §4.3).</summary>
    public enum MqttQos
    {
        /// <summary>At most once.</summary>
        AtMostOnce = 0,

        /// <summary>At least once: duplicates can arrive.</summary>
        AtLeastOnce = 1,

        /// <summary>Exactly once.</summary>
        ExactlyOnce = 2,
    }
}
