namespace NanoAgent.Agent.Mqtt
{
    /// <summary>An application message received from the broker.</summary>
    public sealed class MqttMessage
    {
        /// <summary>Creates a message.</summary>
        /// <param name="topic">The topic it was published to.</param>
        /// <param name="payload">The payload bytes.</param>
        /// <param name="qos">The QoS it was delivered with.</param>
        /// <param name="duplicate">Whether the broker flagged it as a redelivery.</param>
        /// <param name="retained">Whether it is a retained message.</param>
        public MqttMessage(string topic, byte[] payload, MqttQos qos, bool duplicate, bool retained)
        {
            Topic = topic;
            Payload = payload;
            Qos = qos;
            Duplicate = duplicate;
            Retained = retained;
        }

        /// <summary>Gets the topic.</summary>
        public string Topic { get; }

        /// <summary>Gets the payload.</summary>
        public byte[] Payload { get; }

        /// <summary>Gets the delivery QoS.</summary>
        public MqttQos Qos { get; }

        /// <summary>Gets a value indicating whether the broker flagged a redelivery (DUP).</summary>
        public bool Duplicate { get; }

        /// <summary>Gets a value indicating whether this is a retained message.</summary>
        public bool Retained { get; }
    }
}
