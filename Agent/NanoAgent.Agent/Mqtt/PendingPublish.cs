namespace NanoAgent.Agent.Mqtt
{
    /// <summary>A publish held by <see cref="ReconnectingMqttConnection"/> until the broker is back.</summary>
    internal sealed class PendingPublish
    {
        internal PendingPublish(string topic, byte[] payload, MqttQos qos, bool retain)
        {
            Topic = topic;
            Payload = payload;
            Qos = qos;
            Retain = retain;
        }

        internal string Topic { get; }

        internal byte[] Payload { get; }

        internal MqttQos Qos { get; }

        internal bool Retain { get; }
    }
}
