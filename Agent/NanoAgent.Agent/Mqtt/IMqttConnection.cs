using System;

namespace NanoAgent.Agent.Mqtt
{
    /// <summary>
    /// A connection to an MQTT broker, shaped after nanoFramework.M2Mqtt's <c>MqttClient</c> so the device adapter is thin;
    /// the host adapter uses MQTTnet. Failures to reach the broker throw <see cref="MqttConnectionException"/>.
    /// </summary>
    public interface IMqttConnection : IDisposable
    {
        /// <summary>Raised for every application message received, on the connection's receive thread.</summary>
        event MqttMessageHandler MessageReceived;

        /// <summary>Raised when the connection drops or is closed.</summary>
        event EventHandler ConnectionClosed;

        /// <summary>Gets a value indicating whether the connection is up.</summary>
        bool IsConnected { get; }

        /// <summary>Connects to the broker.</summary>
        /// <param name="options">Client id, credentials, will, session and keep-alive.</param>
        /// <exception cref="MqttConnectionException">The broker cannot be reached or refused the connection.</exception>
        void Connect(MqttConnectOptions options);

        /// <summary>Subscribes to topic filters.</summary>
        /// <param name="topics">Topic filters.</param>
        /// <param name="qos">The QoS for each filter.</param>
        /// <exception cref="MqttConnectionException">Not connected, or the broker refused.</exception>
        void Subscribe(string[] topics, MqttQos[] qos);

        /// <summary>Publishes a message; returns once the broker has it at the QoS asked for.</summary>
        /// <param name="topic">The topic.</param>
        /// <param name="payload">The payload.</param>
        /// <param name="qos">The QoS.</param>
        /// <param name="retain">Whether the broker retains it.</param>
        /// <exception cref="MqttConnectionException">Not connected, or the publish failed.</exception>
        void Publish(string topic, byte[] payload, MqttQos qos, bool retain);

        /// <summary>Disconnects cleanly (no will is sent).</summary>
        void Disconnect();
    }
}
