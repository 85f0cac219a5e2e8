using System;
using System.Collections;
using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Security;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// Drives actuators only on commands the tenant's gate in the SE verified. A request on
    /// <c>nanoagent/{device}/{tenant}/actuate/req</c> is checked in this order: well-formed, same device, request tenant =
    /// topic tenant with a gate, actuator known and allowed to that tenant, then VERIFY COMMAND in that tenant's gate;
    /// only on '9000' is <see cref="IActuator.Apply"/> called. Every request is answered on <c>…/actuate/res</c> with a
    /// status code and text (<see cref="ActuationStatus"/>); a rejected one never touches the actuator. It listens on every
    /// tenant's request topic, so a tenant without a gate is answered "wrong tenant" rather than left waiting. A request
    /// byte-identical to the tenant's last one (a backend re-sending an unanswered request, docs/reliability.md) is answered
    /// with the same response again; the SE and the actuator see nothing.
    /// </summary>
    public sealed class GatedCommandHandler
    {
        private readonly IMqttConnection _mqtt;
        private readonly string _device;
        private readonly GateTenants _tenants;
        private readonly ArrayList _actuators = new ArrayList();
        private readonly GateEnvelope _request = new GateEnvelope();
        private readonly ActuationReplies _replies = new ActuationReplies();
        /// <summary>Bytes of the MAC verification input buffer (listed by Budget/AgentMemoryBudget).</summary>
        internal const int VerifyBufferLength = 224;

        /// <summary>Bytes of the actuation result buffer (listed by Budget/AgentMemoryBudget).</summary>
        internal const int ResultBufferLength = 64;

        /// <summary>Bytes of the response envelope buffer (listed by Budget/AgentMemoryBudget).</summary>
        internal const int ResponseBufferLength = 256;

        private readonly byte[] _verify = new byte[VerifyBufferLength];
        private readonly byte[] _result = new byte[ResultBufferLength];
        private readonly byte[] _response = new byte[ResponseBufferLength];
        private readonly object _lock = new object();

        /// <summary>Creates a handler.</summary>
        /// <param name="mqtt">The MQTT connection.</param>
        /// <param name="device">This device's id.</param>
        /// <param name="tenants">The tenants and their gates.</param>
        public GatedCommandHandler(IMqttConnection mqtt, string device, GateTenants tenants)
        {
            _mqtt = mqtt;
            _device = device;
            _tenants = tenants;
        }

        /// <summary>Gets the status of the last request handled.</summary>
        public ActuationStatus LastStatus { get; private set; }

        /// <summary>Gets or sets where refused commands are logged, rate-limited (docs/threat-model.md, "Security events"); null logs none.</summary>
        public SecurityLog SecurityLog { get; set; }

        /// <summary>Adds an actuator that one tenant may drive.</summary>
        /// <param name="actuatorId">Its id.</param>
        /// <param name="tenant">The tenant allowed to command it.</param>
        /// <param name="actuator">The actuator.</param>
        public void AddActuator(string actuatorId, string tenant, IActuator actuator)
        {
            _actuators.Add(new object[] { actuatorId, tenant, actuator });
        }

        /// <summary>Subscribes to every tenant's request topic (one wildcard filter, QoS 1) and handles messages as they arrive.</summary>
        /// <exception cref="MqttConnectionException">The subscription failed.</exception>
        public void Start()
        {
            _mqtt.MessageReceived += OnMessage;
            _mqtt.Subscribe(new string[] { GateTopics.AnyActuateRequest(_device) }, new MqttQos[] { MqttQos.AtLeastOnce });
        }

        /// <summary>Handles one message; ignores topics that are not actuate requests for this device.</summary>
        /// <param name="topic">The topic.</param>
        /// <param name="payload">The payload.</param>
        /// <returns>True when the topic was an actuate request (it was answered).</returns>
        /// <exception cref="MqttConnectionException">The response could not be published.</exception>
        public bool Handle(string topic, byte[] payload)
        {
            string tenant = GateTopics.TenantOfActuateRequest(topic, _device);
            if (tenant == null)
            {
                return false;
            }

            lock (_lock)
            {
                byte[] again = _replies.Find(tenant, payload);
                if (again != null)
                {
                    _mqtt.Publish(GateTopics.ActuateResponse(_device, tenant), again, MqttQos.AtLeastOnce, false);
                    return true;
                }

                int resultLength = 0;
                ActuationStatus status = Decide(tenant, payload, ref resultLength);
                LastStatus = status;
                Log(tenant, status);
                // Kept before it is published: if the publish fails, the backend's re-send is still answered, not re-applied.
                byte[] response = BuildResponse(status, resultLength);
                _replies.Keep(tenant, payload, response);
                _mqtt.Publish(GateTopics.ActuateResponse(_device, tenant), response, MqttQos.AtLeastOnce, false);
            }

            return true;
        }

        private void OnMessage(object sender, MqttMessage message)
        {
            Handle(message.Topic, message.Payload);
        }

        // A verified command the actuator itself refused is no security event; every other refusal is.
        private void Log(string tenant, ActuationStatus status)
        {
            SecurityLog security = SecurityLog;
            if (security == null || status == ActuationStatus.Applied || status == ActuationStatus.ActuatorRefused)
            {
                return;
            }

            string what = status == ActuationStatus.Malformed ? "command" : "command " + _request.Name;
            security.Report(SecurityEventKind.Actuate, tenant, what, null, ActuationStatusText.Of(status));
        }

        private ActuationStatus Decide(string tenant, byte[] payload, ref int resultLength)
        {
            GateEnvelope req = _request;
            if (payload == null || !req.TryParse(payload, 0, payload.Length) || req.Template != GateEnvelope.RequestTemplate
                || req.BodyLength > _verify.Length - 24)
            {
                return ActuationStatus.Malformed;
            }

            if (req.Device != _device)
            {
                return ActuationStatus.WrongDevice;
            }

            IReadingGate gate = _tenants.Find(tenant);
            if (req.Tenant != tenant || gate == null)
            {
                return ActuationStatus.WrongTenant;
            }

            object[] entry = FindActuator(req.Name);
            if (entry == null)
            {
                return ActuationStatus.UnknownActuator;
            }

            if ((string)entry[1] != tenant)
            {
                return ActuationStatus.WrongTenant;
            }

            // VERIFY COMMAND data: counter || body (exact bytes of the request) || MAC.
            GateEnvelopeWriter.WriteCounter(req.Counter, _verify, 0);
            Array.Copy(payload, req.BodyOffset, _verify, 8, req.BodyLength);
            Array.Copy(req.Mac, 0, _verify, 8 + req.BodyLength, 16);
            ushort sw = gate.VerifyCommand(_verify, 0, 24 + req.BodyLength);
            if (sw != 0x9000)
            {
                return sw == 0x6982 ? ActuationStatus.BadMac
                    : sw == 0x6985 ? ActuationStatus.Replayed
                    : sw == 0x6A88 ? ActuationStatus.NotKeyed
                    : ActuationStatus.SeError;
            }

            byte[] command = req.Value;
            int n = ((IActuator)entry[2]).Apply(command, 0, command.Length, _result, 0);
            if (n < 0)
            {
                return ActuationStatus.ActuatorRefused;
            }

            resultLength = n;
            return ActuationStatus.Applied;
        }

        private object[] FindActuator(string id)
        {
            for (int i = 0; i < _actuators.Count; i++)
            {
                object[] e = (object[])_actuators[i];
                if ((string)e[0] == id)
                {
                    return e;
                }
            }

            return null;
        }

        private byte[] BuildResponse(ActuationStatus status, int resultLength)
        {
            var w = new BerTlvWriter(_response, 0, _response.Length);
            w.BeginConstructed(GateEnvelope.ResponseTemplate);
            if (status != ActuationStatus.Malformed && _request.HasCounter)
            {
                byte[] counter = new byte[8];
                GateEnvelopeWriter.WriteCounter(_request.Counter, counter, 0);
                w.Write(0x86, counter, 0, 8);
            }

            w.WriteByte(0x90, (byte)status);
            byte[] text = Encoding.UTF8.GetBytes(ActuationStatusText.Of(status));
            w.Write(0x91, text, 0, text.Length);
            if (status == ActuationStatus.Applied && resultLength > 0)
            {
                w.Write(0x85, _result, 0, resultLength);
            }

            w.EndConstructed();
            int length = w.Finish();
            byte[] payload = new byte[length];
            Array.Copy(_response, 0, payload, 0, length);
            return payload;
        }
    }
}
