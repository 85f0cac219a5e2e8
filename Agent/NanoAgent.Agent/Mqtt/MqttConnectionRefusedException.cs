using System;

namespace NanoAgent.Agent.Mqtt
{
    /// <summary>
    /// The broker answered with a refusal: of the connection (MQTT 3.1.1 §3.2.2.3 return codes 1-5, MQTT 5 reason codes: bad
    /// user name or password, not authorized, client identifier not allowed), of a subscription (SUBACK 0x80, MQTT 5 0x87)
    /// or of a publish (MQTT 5 PUBACK 0x87 not authorized). The broker is reachable; retrying with the same login does not help.
    /// </summary>
    public class MqttConnectionRefusedException : MqttConnectionException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What the broker said, in words.</param>
        public MqttConnectionRefusedException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with its cause.</summary>
        /// <param name="message">What the broker said, in words.</param>
        /// <param name="inner">The cause.</param>
        public MqttConnectionRefusedException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
