using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Runtime;
using NanoAgent.Agent.Se05x;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Host.Gate;

namespace NanoAgent.Host.Agent;

/// <summary>
/// The agent's gated data (docs/gating.md): each tenant's gate in the SE signs its readings, and verifies its actuator
/// commands before the actuator is driven. The card decides the gate: nanoAgent's gate applet, or on an SE05x the tenant's
/// objects of the IoT applet (docs/se05x.md). Sensors and actuators are added by whoever runs the agent.
/// </summary>
public sealed class AgentGating
{
    private readonly AgentLog _log;
    private readonly object _publishLock = new();
    private readonly IReadOnlyDictionary<string, uint> _authObjects;

    internal AgentGating(
        IMqttConnection mqtt, string device, IApduTransport se, IReadOnlyDictionary<string, byte[]> gates, AgentLog log,
        GateCard card = GateCard.GateApplet, IReadOnlyDictionary<string, uint>? authObjects = null, Se05xApplet? applet = null)
    {
        _log = log;
        var tenants = new GateTenants();
        foreach (var (tenant, aid) in gates)
        {
            if (card == GateCard.Se05x)
            {
                uint auth = authObjects is not null && authObjects.TryGetValue(tenant, out uint id) ? id
                    : throw new ArgumentException($"the SE05x gate of tenant '{tenant}' names no authentication object");
                Gates[tenant] = new Se05xReadingGate(applet ?? throw new ArgumentNullException(nameof(applet)), aid, auth);
            }
            else
            {
                Gates[tenant] = new GateAppletClient(se, aid, useSignature: false);
            }

            tenants.Add(tenant, Gates[tenant]);
        }

        Publisher = new GatedPublisher(mqtt, device, tenants);
        Commands = new GatedCommandHandler(mqtt, device, tenants);
        _authObjects = authObjects ?? new Dictionary<string, uint>();
        Attestations = applet is null ? null : new GatedAttestations(mqtt, device, applet);
    }

    /// <summary>Gets the attested reads of sensors behind an SE05x, or null on a GP card.</summary>
    public GatedAttestations? Attestations { get; }

    /// <summary>Gets each tenant's gate.</summary>
    public Dictionary<string, IReadingGate> Gates { get; } = [];

    /// <summary>Gets the publisher of SE-signed readings.</summary>
    public GatedPublisher Publisher { get; }

    /// <summary>Gets the handler of actuator commands.</summary>
    public GatedCommandHandler Commands { get; }

    /// <summary>Reads every sensor once and publishes a signed reading to each tenant subscribed to it.</summary>
    /// <returns>The number of readings published.</returns>
    public int PublishReadings()
    {
        lock (_publishLock)
        {
            int published = Publisher.PublishAll();
            LogPublished(published);
            return published;
        }
    }

    /// <summary>Publishes the configured sensors whose interval has passed (called by the agent's worker about once a second).</summary>
    /// <returns>The number of readings published.</returns>
    public int PublishDue()
    {
        lock (_publishLock)
        {
            int published = Publisher.PublishDue(Environment.TickCount64);
            if (published > 0 || Publisher.LastFailures > 0)
            {
                LogPublished(published);
            }

            return published;
        }
    }

    /// <summary>
    /// Adds the sensors and actuators of a gating configuration with the host's drivers (<see cref="GateDrivers"/>) and, when
    /// there are actuators, starts handling actuate requests.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="sensors">The sensors' drivers, in the configuration's order.</param>
    /// <param name="actuators">The actuators' drivers, in the configuration's order.</param>
    /// <param name="defaultIntervalMs">The interval of sensors without <c>interval_s</c>.</param>
    internal void Configure(GatingConfig config, IReadOnlyList<ISensor?> sensors, IReadOnlyList<IActuator> actuators, int defaultIntervalMs)
    {
        for (int i = 0; i < config.SensorCount; i++)
        {
            SensorSpec spec = config.SensorAt(i);
            if (spec.Source == SensorSource.Attested)
            {
                foreach (string tenant in spec.Tenants)
                {
                    Attestations!.AddSensor(spec.Id, tenant, _authObjects[tenant], spec.I2cAddress, spec.I2cWrite!, spec.I2cReadLength);
                }

                _log.Line($"agent: sensor {spec.Id} (attested by the SE at I2C 0x{spec.I2cAddress:X2}) on request of {string.Join(", ", spec.Tenants)}");
                continue;
            }

            int interval = spec.IntervalMs > 0 ? spec.IntervalMs : defaultIntervalMs;
            Publisher.AddSensor(spec.Id, sensors[i]!, interval);
            foreach (string tenant in spec.Tenants)
            {
                Publisher.Subscribe(tenant, spec.Id);
            }

            _log.Line($"agent: sensor {spec.Id} ({spec.Source.ToString().ToLowerInvariant()}) every {interval / 1000} s for {string.Join(", ", spec.Tenants)}");
        }

        for (int i = 0; i < config.ActuatorCount; i++)
        {
            ActuatorSpec spec = config.ActuatorAt(i);
            Commands.AddActuator(spec.Id, spec.Tenant, actuators[i]);
            _log.Line($"agent: actuator {spec.Id} ({spec.Drive.ToString().ToLowerInvariant()}) commanded by {spec.Tenant}");
        }

        if (config.ActuatorCount > 0)
        {
            Commands.Start();
        }

        if (Attestations is { Count: > 0 })
        {
            Attestations.Start();
        }
    }

    private void LogPublished(int published) =>
        _log.Line($"agent: {published} signed reading(s) published" + (Publisher.LastFailures > 0 ? $", {Publisher.LastFailures} not published (no value, or refused by the SE: last SW {Publisher.LastStatusWord:X4})" : string.Empty));
}
