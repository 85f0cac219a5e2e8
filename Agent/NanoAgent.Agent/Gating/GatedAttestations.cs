using System;
using System.Collections;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Se05x;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// Attested reads of sensors behind an NXP SE05x (docs/se05x.md "Attested reads"): the sensor sits on the SE's own I2C
    /// bus, where the SE is the controller. A tenant's backend asks on <c>nanoagent/{device}/{tenant}/attest/req</c> with 16
    /// bytes of freshness; the agent sends one attested I2CM_ExecuteCommandSet (<c>80 23 00 30</c>: configure the address,
    /// write the register, read; TAG_2 the tenant's attestation key, TAG_3 ECDSA SHA-256, TAG_7 the freshness) in the applet's
    /// default session and answers on <c>…/attest/res</c> with the command and the SE's signed answer, which the backend
    /// checks with the key's public part. The MCU chooses neither the value nor the freshness. Buffers are allocated once;
    /// thread-safe.
    /// </summary>
    public sealed class GatedAttestations
    {
        private const int MaxAnswer = 512;
        private readonly IMqttConnection _mqtt;
        private readonly string _device;
        private readonly Se05xApplet _applet;
        private readonly ArrayList _sensors = new ArrayList();
        private readonly Se05xI2cmCommands _i2cm = new Se05xI2cmCommands();
        private readonly AttestationEnvelope _request = new AttestationEnvelope();
        private readonly byte[] _set = new byte[Se05xI2cmCommandSet.MaxLength];
        private readonly byte[] _command = new byte[Se05xObjectCommands.MaxCommandLength];
        private readonly byte[] _response = new byte[MaxAnswer + 2];
        private readonly byte[] _zero = new byte[AttestationEnvelope.FreshnessLength];
        private readonly object _lock = new object();

        /// <summary>Creates the handler.</summary>
        /// <param name="mqtt">The MQTT connection.</param>
        /// <param name="device">This device's id.</param>
        /// <param name="applet">The agent's link to the IoT applet.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        public GatedAttestations(IMqttConnection mqtt, string device, Se05xApplet applet)
        {
            if (mqtt == null || device == null || applet == null)
            {
                throw new ArgumentNullException(mqtt == null ? "mqtt" : device == null ? "device" : "applet");
            }

            _mqtt = mqtt;
            _device = device;
            _applet = applet;
        }

        /// <summary>Gets the number of attested sensor bindings (sensor, tenant).</summary>
        public int Count
        {
            get { return _sensors.Count; }
        }

        /// <summary>Gets the status of the last request handled.</summary>
        public int LastStatus { get; private set; }

        /// <summary>Adds a sensor a tenant may ask an attested read of.</summary>
        /// <param name="sensorId">The sensor id.</param>
        /// <param name="tenant">The tenant.</param>
        /// <param name="tenantAuthObject">The tenant's authentication object (its attestation key is in its block).</param>
        /// <param name="address">The sensor's 7-bit address on the SE's I2C bus.</param>
        /// <param name="write">The bytes written first (the register pointer), 1 to 32.</param>
        /// <param name="readLength">How many bytes are read, 1 to 255.</param>
        /// <exception cref="ArgumentException">A value is out of range.</exception>
        public void AddSensor(string sensorId, string tenant, uint tenantAuthObject, int address, byte[] write, int readLength)
        {
            if (sensorId == null || tenant == null || !Se05xTenantLayout.IsValidAuthObject(tenantAuthObject) || address < 0x08 || address > 0x77
                || write == null || write.Length < 1 || write.Length > 32 || readLength < 1 || readLength > 255)
            {
                throw new ArgumentException("An attested sensor has an id, a tenant's object block, a 7-bit address, 1 to 32 bytes to write and 1 to 255 to read.");
            }

            _sensors.Add(new Binding(sensorId, tenant, Se05xTenantLayout.Object(tenantAuthObject, Se05xTenantLayout.AttestationKey), address, (byte[])write.Clone(), readLength));
        }

        /// <summary>Subscribes to every tenant's attest request topic (QoS 1) and handles requests as they arrive.</summary>
        /// <exception cref="MqttConnectionException">The subscription failed.</exception>
        public void Start()
        {
            _mqtt.MessageReceived += OnMessage;
            Subscribe();
        }

        /// <summary>Subscribes the request topics again (after a reconnect with a clean session).</summary>
        /// <exception cref="MqttConnectionException">The subscription failed.</exception>
        public void Subscribe()
        {
            _mqtt.Subscribe(new string[] { GateTopics.AnyAttestRequest(_device) }, new MqttQos[] { MqttQos.AtLeastOnce });
        }

        /// <summary>Handles one message; ignores topics that are not attest requests for this device.</summary>
        /// <param name="topic">The topic.</param>
        /// <param name="payload">The payload.</param>
        /// <returns>True when the topic was an attest request (it was answered).</returns>
        /// <exception cref="MqttConnectionException">The response could not be published.</exception>
        public bool Handle(string topic, byte[] payload)
        {
            string tenant = GateTopics.TenantOfAttestRequest(topic, _device);
            if (tenant == null)
            {
                return false;
            }

            lock (_lock)
            {
                byte[] response = Answer(tenant, payload);
                _mqtt.Publish(GateTopics.AttestResponse(_device, tenant), response, MqttQos.AtLeastOnce, false);
            }

            return true;
        }

        private byte[] Answer(string tenant, byte[] payload)
        {
            if (!_request.TryParse(payload, 0, payload == null ? 0 : payload.Length) || _request.Template != AttestationEnvelope.RequestTemplate)
            {
                return Refuse(tenant, "none", _zero, AttestationEnvelope.Malformed, "not an attest request (73 { 82 sensor, 88 freshness })");
            }

            Binding sensor = Find(_request.Sensor, tenant);
            if (sensor == null)
            {
                return Refuse(tenant, _request.Sensor, _request.Freshness, AttestationEnvelope.UnknownSensor, "no attested sensor '" + _request.Sensor + "' for this tenant");
            }

            try
            {
                int n = Se05xI2cmCommandSet.Configure(sensor.Address, Se05xI2cmCommandSet.Baud100Khz, _set, 0);
                n += Se05xI2cmCommandSet.Write(sensor.Write, 0, sensor.Write.Length, _set, n);
                n += Se05xI2cmCommandSet.Read(sensor.ReadLength, _set, n);
                bool v7 = _applet.EnsureSelected() == StatusWord.Success && _applet.Version.Major >= 7;
                int length = _i2cm.ExecuteAttested(_set, 0, n, sensor.KeyId, Se05xCodes.EcdsaSha256, _request.Freshness, 0, v7, _command, 0);
                int r = _applet.Transceive(_command, 0, length, _response, 0);
                ushort sw = r < 2 ? (ushort)0x6F00 : StatusWord.Read(_response, 0, r);
                if (sw != StatusWord.Success)
                {
                    return Refuse(tenant, sensor.Id, _request.Freshness, AttestationEnvelope.SeError, "the SE answered " + Hex(sw));
                }

                byte status = I2cStatus(r, v7);
                LastStatus = status == Se05xI2cmResult.Success ? AttestationEnvelope.Attested : AttestationEnvelope.SeError;
                string text = status == Se05xI2cmResult.Success ? "attested" : "an I2C operation failed (status " + status.ToString("X2") + ")";
                return AttestationEnvelope.WriteResponse(_device, tenant, sensor.Id, _request.Freshness, (byte)LastStatus, text, _command, length, _response, r - 2);
            }
            catch (Se05xException e)
            {
                // A '9000' answer that is not an attested I2CM answer: carried nowhere, the backend could not check it.
                return Refuse(tenant, sensor.Id, _request.Freshness, AttestationEnvelope.SeError, "malformed SE answer: " + e.Message);
            }
        }

        private byte I2cStatus(int count, bool v7)
        {
            Se05xAttestedI2cmResponse parsed;
            Se05xAttestedI2cmResponse.TryParse(_response, 0, count, v7, out parsed);
            int at;
            int length;
            return Se05xI2cmResult.Walk(_response, parsed.ResultOffset, parsed.ResultLength, out at, out length);
        }

        private byte[] Refuse(string tenant, string sensor, byte[] freshness, byte status, string text)
        {
            LastStatus = status;
            return AttestationEnvelope.WriteResponse(_device, tenant, sensor, freshness, status, text, null, 0, null, 0);
        }

        private Binding Find(string sensorId, string tenant)
        {
            for (int i = 0; i < _sensors.Count; i++)
            {
                Binding b = (Binding)_sensors[i];
                if (b.Id == sensorId && b.Tenant == tenant)
                {
                    return b;
                }
            }

            return null;
        }

        private void OnMessage(object sender, MqttMessage message)
        {
            // A retained request is stale: freshness is only worth anything for the request sent now.
            if (!message.Retained)
            {
                Handle(message.Topic, message.Payload);
            }
        }

        private static string Hex(ushort sw)
        {
            return sw.ToString("X4");
        }

        private sealed class Binding
        {
            public Binding(string id, string tenant, uint keyId, int address, byte[] write, int readLength)
            {
                Id = id;
                Tenant = tenant;
                KeyId = keyId;
                Address = address;
                Write = write;
                ReadLength = readLength;
            }

            public string Id { get; }

            public string Tenant { get; }

            public uint KeyId { get; }

            public int Address { get; }

            public byte[] Write { get; }

            public int ReadLength { get; }
        }
    }
}
