using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Host.Agent;

/// <summary>
/// The agent's gated data (docs/gating.md): each tenant's gate in the SE signs its readings, and verifies its actuator
/// commands before the actuator is driven. Sensors and actuators are added by whoever runs the agent.
/// </summary>
public sealed class AgentGating
{
    private readonly AgentLog _log;

    internal AgentGating(IMqttConnection mqtt, string device, IApduTransport se, IReadOnlyDictionary<string, byte[]> gates, AgentLog log)
    {
        _log = log;
        var tenants = new GateTenants();
        foreach (var (tenant, aid) in gates)
        {
            tenants.Add(tenant, new GateAppletClient(se, aid, useSignature: false));
        }

        Publisher = new GatedPublisher(mqtt, device, tenants);
        Commands = new GatedCommandHandler(mqtt, device, tenants);
    }

    /// <summary>Gets the publisher of SE-signed readings.</summary>
    public GatedPublisher Publisher { get; }

    /// <summary>Gets the handler of actuator commands.</summary>
    public GatedCommandHandler Commands { get; }

    /// <summary>Reads every sensor once and publishes a signed reading to each tenant subscribed to it.</summary>
    /// <returns>The number of readings published.</returns>
    public int PublishReadings()
    {
        int published = Publisher.PublishAll();
        _log.Line($"agent: {published} signed reading(s) published" + (Publisher.LastFailures > 0 ? $", {Publisher.LastFailures} refused by the SE (SW {Publisher.LastStatusWord:X4})" : string.Empty));
        return published;
    }
}
