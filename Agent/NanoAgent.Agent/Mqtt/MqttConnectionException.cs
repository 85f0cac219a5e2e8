using System;

namespace NanoAgent.Agent.Mqtt
{
    /// <summary>The broker could not be reached, refused, or the connection broke.</summary>
    public class MqttConnectionException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What happened, in words.</param>
        public MqttConnectionException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with its cause.</summary>
        /// <param name="message">What happened, in words.</param>
        /// <param name="inner">The cause.</param>
        public MqttConnectionException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
