namespace NanoAgent.Host.Mqtt.Tests.Brokers;

/// <summary>Which broker an interop test runs against.</summary>
public enum BrokerKind
{
    /// <summary>Eclipse mosquitto started as a process.</summary>
    Mosquitto,

    /// <summary>Our <see cref="EmbeddedBroker"/> (MQTTnet.Server).</summary>
    Embedded,
}
