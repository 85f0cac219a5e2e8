using System.Collections;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Security;
using NanoAgent.Agent.Se05x;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// The gated sensors and actuators of the runtime (docs/gating.md): readings signed by each tenant's gate in the SE, and
    /// actuator commands verified by it. Actuate requests are queued by the MQTT thread and handled by the loop, so every SE
    /// exchange happens on the loop's thread.
    /// </summary>
    internal sealed class RuntimeGating
    {
        private readonly IMqttConnection _mqtt;
        private readonly GateTenants _gates = new GateTenants();
        private readonly GatedPublisher _publisher;
        private readonly GatedCommandHandler _commands;
        private readonly ArrayList _inbound = new ArrayList();
        private readonly string _device;
        private readonly bool _hasActuators;
        private readonly GatedAttestations _attestations;

        public RuntimeGating(AgentConfig config, AgentPlatform platform, IMqttConnection mqtt, IApduTransport se, Se05xApplet applet, SecurityLog security)
        {
            _mqtt = mqtt;
            _device = config.DeviceId;
            for (int i = 0; i < config.GateCount; i++)
            {
                // se.card decides the gate: nanoAgent's gate applet, or the tenant's objects on NXP's IoT applet (docs/se05x.md).
                _gates.Add(config.GateTenantAt(i), config.Gating.Card == GateCard.Se05x
                    ? (IReadingGate)new Se05xReadingGate(applet, config.GateAidAt(i), config.Gating.GateAuthObjectAt(i))
                    : new GateAppletClient(se, config.GateAidAt(i), false));
            }

            _publisher = new GatedPublisher(mqtt, _device, _gates);
            for (int i = 0; i < config.SensorCount; i++)
            {
                SensorSpec spec = config.Gating.SensorAt(i);
                if (spec.Source == SensorSource.Attested)
                {
                    // Read and signed by the SE05x itself, on each backend's request (docs/se05x.md "Attested reads").
                    if (_attestations == null)
                    {
                        _attestations = new GatedAttestations(mqtt, _device, applet);
                    }

                    for (int t = 0; t < spec.Tenants.Length; t++)
                    {
                        _attestations.AddSensor(spec.Id, spec.Tenants[t], AuthObjectOf(config, spec.Tenants[t]), spec.I2cAddress, spec.I2cWrite, spec.I2cReadLength);
                    }

                    continue;
                }

                ISensor sensor = platform.FindSensor(spec.Id);
                _publisher.AddSensor(spec.Id, spec.Unit == null ? sensor : new UnitSensor(sensor, spec.Unit), spec.IntervalMs > 0 ? spec.IntervalMs : config.PublishPeriodMs);
                for (int t = 0; t < spec.Tenants.Length; t++)
                {
                    _publisher.Subscribe(spec.Tenants[t], spec.Id);
                }
            }

            _commands = new GatedCommandHandler(mqtt, _device, _gates);
            _commands.SecurityLog = security;
            for (int i = 0; i < config.ActuatorCount; i++)
            {
                string id = config.ActuatorIdAt(i);
                _commands.AddActuator(id, config.ActuatorTenantAt(i), platform.FindActuator(id));
            }

            _hasActuators = config.ActuatorCount > 0;
            mqtt.MessageReceived += OnMessage;
        }

        public int LastFailures
        {
            get { return _publisher.LastFailures; }
        }

        public ushort LastStatusWord
        {
            get { return _publisher.LastStatusWord; }
        }

        /// <summary>Subscribes every tenant's actuate request topic (after each connect: the session is clean); a tenant
        /// without a gate is then answered "wrong tenant" instead of never.</summary>
        public void Subscribe()
        {
            if (_attestations != null)
            {
                _attestations.Subscribe();
            }

            if (!_hasActuators)
            {
                return;
            }

            _mqtt.Subscribe(new string[] { GateTopics.AnyActuateRequest(_device) }, new MqttQos[] { MqttQos.AtLeastOnce });
        }

        /// <summary>Publishes the sensors whose interval (<c>sensor.&lt;id&gt;.interval_s</c>, else <c>publish.period_ms</c>) has passed.</summary>
        /// <param name="nowMs">The runtime clock.</param>
        /// <returns>The number of readings published.</returns>
        public int PublishDue(long nowMs)
        {
            return _publisher.PublishDue(nowMs);
        }

        /// <summary>Handles the queued actuate requests in arrival order.</summary>
        /// <returns>The number handled.</returns>
        public int ProcessActuations()
        {
            int handled = 0;
            while (true)
            {
                MqttMessage next;
                lock (_inbound)
                {
                    if (_inbound.Count == 0)
                    {
                        return handled;
                    }

                    next = (MqttMessage)_inbound[0];
                    _inbound.RemoveAt(0);
                }

                if (!_commands.Handle(next.Topic, next.Payload) && _attestations != null)
                {
                    _attestations.Handle(next.Topic, next.Payload);
                }

                handled++;
            }
        }

        private static uint AuthObjectOf(AgentConfig config, string tenant)
        {
            for (int g = 0; g < config.GateCount; g++)
            {
                if (config.GateTenantAt(g) == tenant)
                {
                    return config.Gating.GateAuthObjectAt(g);
                }
            }

            return 0;
        }

        private void OnMessage(object sender, MqttMessage message)
        {
            // A retained command is stale by definition: an actuator moves only on a request sent now.
            if (message.Retained || (GateTopics.TenantOfActuateRequest(message.Topic, _device) == null
                && (_attestations == null || GateTopics.TenantOfAttestRequest(message.Topic, _device) == null)))
            {
                return;
            }

            lock (_inbound)
            {
                _inbound.Add(message);
            }
        }
    }
}
