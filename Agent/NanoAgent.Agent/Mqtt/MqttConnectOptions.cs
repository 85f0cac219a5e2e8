namespace NanoAgent.Agent.Mqtt
{
    /// <summary>How to connect to the broker (after nanoFramework.M2Mqtt's <c>Connect</c> parameters).</summary>
    public sealed class MqttConnectOptions
    {
        /// <summary>Gets or sets the client identifier.</summary>
        public string ClientId { get; set; }

        /// <summary>Gets or sets the user name, or null.</summary>
        public string UserName { get; set; }

        /// <summary>Gets or sets the password, or null.</summary>
        public string Password { get; set; }

        /// <summary>Gets or sets the last-will topic, or null for no will.</summary>
        public string WillTopic { get; set; }

        /// <summary>Gets or sets the last-will payload.</summary>
        public byte[] WillPayload { get; set; }

        /// <summary>Gets or sets a value indicating whether the will is retained.</summary>
        public bool WillRetain { get; set; }

        /// <summary>Gets or sets a value indicating whether the broker discards the session on connect.</summary>
        public bool CleanSession { get; set; }

        /// <summary>Gets or sets the keep-alive period in seconds.</summary>
        public int KeepAliveSeconds { get; set; } = 30;
    }
}
