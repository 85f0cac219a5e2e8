namespace NanoAgent.Host.Mqtt.Access;

/// <summary>What a broker user is allowed to be (docs/broker-security.md has the topic rules of each role).</summary>
public enum BrokerRole
{
    /// <summary>A device's agent: reads every tenant's requests of its device, writes results, progress, status, keys and readings.</summary>
    Agent,

    /// <summary>A tenant's backend: writes its own requests and actuator commands, reads its own answers, readings and the device status.</summary>
    Tenant,

    /// <summary>The device owner's backend: a tenant (the one holding the ISD) that also reads the devices' key status.</summary>
    Owner,

    /// <summary>The field engineer's provisioning console: writes every tenant's script requests and reads their answers.</summary>
    Provision,
}
