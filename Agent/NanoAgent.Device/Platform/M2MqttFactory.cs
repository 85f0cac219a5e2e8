using System;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Runtime;
using NanoAgent.Device.Mqtt;
using nanoFramework.M2Mqtt;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// Creates a fresh M2Mqtt client per connection attempt (a closed <c>MqttClient</c> is not reused). With TLS the broker's
    /// CA must be in the device's certificate store (uploaded with the device configuration), as no CA is passed here.
    /// </summary>
    public sealed class M2MqttFactory : IMqttConnectionFactory
    {
        private readonly AgentConfig _config;

        /// <summary>Creates the factory.</summary>
        /// <param name="config">Broker host, port and TLS flag.</param>
        public M2MqttFactory(AgentConfig config)
        {
            _config = config;
        }

        /// <inheritdoc />
        public IMqttConnection Create()
        {
            try
            {
                MqttClient client = new MqttClient(_config.BrokerHost, _config.BrokerPort, _config.BrokerTls, null, null,
                    _config.BrokerTls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                return new M2MqttConnection(client, 10000);
            }
            catch (Exception e)
            {
                // The client resolves the host name when created: no network or no DNS answer is a broker outage here.
                throw new MqttConnectionException("cannot create the client for " + _config.BrokerHost + ": " + e.Message, e);
            }
        }
    }
}
