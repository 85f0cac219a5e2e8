namespace NanoAgent.Agent.Mqtt
{
    /// <summary>Back-off and buffering settings for <see cref="ReconnectingMqttConnection"/>.</summary>
    public sealed class ReconnectOptions
    {
        /// <summary>Gets or sets the first retry delay in milliseconds; each failed attempt doubles it.</summary>
        public int MinDelayMilliseconds { get; set; } = 500;

        /// <summary>Gets or sets the largest retry delay in milliseconds.</summary>
        public int MaxDelayMilliseconds { get; set; } = 30000;

        /// <summary>
        /// Gets or sets how many publishes are kept while the broker is unreachable. When full, the oldest is dropped
        /// and <see cref="ReconnectingMqttConnection.DroppedPublishes"/> counts it. Zero means publishes fail while down.
        /// </summary>
        public int MaxBufferedPublishes { get; set; } = 32;
    }
}
