using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// Creates a fresh, unconnected broker connection. The runtime asks for a new one after the old one dropped, since some
    /// clients (nanoFramework.M2Mqtt) are not meant to be reconnected once closed.
    /// </summary>
    public interface IMqttConnectionFactory
    {
        /// <summary>Creates a connection, not yet connected.</summary>
        /// <returns>The connection; the runtime disposes it.</returns>
        IMqttConnection Create();
    }
}
