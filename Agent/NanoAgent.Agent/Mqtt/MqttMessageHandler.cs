namespace NanoAgent.Agent.Mqtt
{
    /// <summary>Receives messages from an <see cref="IMqttConnection"/>.</summary>
    /// <param name="sender">The connection.</param>
    /// <param name="message">The message.</param>
    public delegate void MqttMessageHandler(object sender, MqttMessage message);
}
