using System;
using System.Collections;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// Publishes sensor readings signed in the SE: for each tenant subscribed to a sensor, the reading body goes to that
    /// tenant's gate (SIGN READING), and the envelope '70' { body, counter, MAC, KCV | signature } is published at QoS 1 to
    /// <c>nanoagent/{device}/{tenant}/reading/{sensor}</c>. A reading the SE does not sign is not published. Buffers are
    /// allocated once; not thread-safe (call from one thread).
    /// </summary>
    public sealed class GatedPublisher
    {
        private readonly IMqttConnection _mqtt;
        private readonly string _device;
        private readonly GateTenants _tenants;
        private readonly ArrayList _sensorIds = new ArrayList();
        private readonly ArrayList _sensors = new ArrayList();
        private readonly ArrayList _subscriptions = new ArrayList();
        private readonly ArrayList _schedule = new ArrayList();
        /// <summary>Bytes of the reading body buffer (listed by Budget/AgentMemoryBudget).</summary>
        internal const int BodyBufferLength = 200;

        /// <summary>Bytes of the SE exchange buffer (listed by Budget/AgentMemoryBudget).</summary>
        internal const int SeBufferLength = 96;

        /// <summary>Bytes of the envelope buffer (listed by Budget/AgentMemoryBudget).</summary>
        internal const int EnvelopeBufferLength = 320;

        private readonly byte[] _body = new byte[BodyBufferLength];
        private readonly byte[] _se = new byte[SeBufferLength];
        private readonly byte[] _envelope = new byte[EnvelopeBufferLength];
        private readonly BerTlvWriter _writer;

        /// <summary>Creates a publisher.</summary>
        /// <param name="mqtt">The MQTT connection.</param>
        /// <param name="device">This device's id.</param>
        /// <param name="tenants">The tenants and their gates.</param>
        public GatedPublisher(IMqttConnection mqtt, string device, GateTenants tenants)
        {
            _mqtt = mqtt;
            _device = device;
            _tenants = tenants;
            _writer = new BerTlvWriter(_body, 0, _body.Length);
        }

        /// <summary>Gets the number of readings the SE refused to sign in the last <see cref="PublishAll"/> (or that were too large).</summary>
        public int LastFailures { get; private set; }

        /// <summary>Gets the status word of the last refusal, or '9000'.</summary>
        public ushort LastStatusWord { get; private set; }

        /// <summary>Adds a sensor published only by <see cref="PublishAll"/>.</summary>
        /// <param name="sensorId">Its id (a topic level).</param>
        /// <param name="sensor">The sensor.</param>
        public void AddSensor(string sensorId, ISensor sensor)
        {
            AddSensor(sensorId, sensor, 0);
        }

        /// <summary>Adds a sensor that <see cref="PublishDue"/> reads every <paramref name="intervalMs"/> (and <see cref="PublishAll"/> always).</summary>
        /// <param name="sensorId">Its id (a topic level).</param>
        /// <param name="sensor">The sensor.</param>
        /// <param name="intervalMs">Milliseconds between readings; 0: only by <see cref="PublishAll"/>.</param>
        public void AddSensor(string sensorId, ISensor sensor, int intervalMs)
        {
            _sensorIds.Add(sensorId);
            _sensors.Add(sensor);
            _schedule.Add(new long[] { intervalMs, 0 });
        }

        /// <summary>Subscribes a tenant to a sensor's readings.</summary>
        /// <param name="tenant">The tenant (must be in the tenants' list when publishing).</param>
        /// <param name="sensorId">The sensor id.</param>
        public void Subscribe(string tenant, string sensorId)
        {
            _subscriptions.Add(new string[] { tenant, sensorId });
        }

        /// <summary>Reads every sensor once and publishes it, signed, to each subscribed tenant.</summary>
        /// <returns>The number of envelopes published.</returns>
        /// <exception cref="MqttConnectionException">A publish failed.</exception>
        public int PublishAll()
        {
            LastFailures = 0;
            LastStatusWord = 0x9000;
            int published = 0;
            for (int s = 0; s < _sensors.Count; s++)
            {
                published += PublishSensor(s);
            }

            return published;
        }

        /// <summary>
        /// Reads and publishes every sensor whose interval has passed since its last reading (a sensor added with an interval
        /// is due at the first call); sensors without an interval are left to <see cref="PublishAll"/>.
        /// </summary>
        /// <param name="nowMs">The current time in milliseconds (any monotonic clock).</param>
        /// <returns>The number of envelopes published; <see cref="LastFailures"/> counts the refusals of this call.</returns>
        /// <exception cref="MqttConnectionException">A publish failed.</exception>
        public int PublishDue(long nowMs)
        {
            LastFailures = 0;
            LastStatusWord = 0x9000;
            int published = 0;
            for (int s = 0; s < _sensors.Count; s++)
            {
                long[] slot = (long[])_schedule[s];
                if (slot[0] <= 0 || nowMs < slot[1])
                {
                    continue;
                }

                // Rescheduled only after the attempt returns: a sensor whose publish threw (SE or broker link) stays due.
                published += PublishSensor(s);
                slot[1] = nowMs + slot[0];
            }

            return published;
        }

        /// <summary>Gets the earliest time <see cref="PublishDue"/> has something to publish, or <see cref="long.MaxValue"/> for never.</summary>
        public long NextDue
        {
            get
            {
                long next = long.MaxValue;
                for (int s = 0; s < _schedule.Count; s++)
                {
                    long[] slot = (long[])_schedule[s];
                    if (slot[0] > 0 && slot[1] < next)
                    {
                        next = slot[1];
                    }
                }

                return next;
            }
        }

        private int PublishSensor(int s)
        {
            int published = 0;
            string sensorId = (string)_sensorIds[s];
            Reading reading = null;
            for (int i = 0; i < _subscriptions.Count; i++)
            {
                string[] sub = (string[])_subscriptions[i];
                if (sub[1] != sensorId)
                {
                    continue;
                }

                if (reading == null)
                {
                    reading = ((ISensor)_sensors[s]).Read();
                    if (reading == null)
                    {
                        // The sensor had no value this time (ISensor.Read): nothing to sign for any tenant.
                        LastFailures++;
                        return published;
                    }
                }

                if (Publish(sub[0], sensorId, reading))
                {
                    published++;
                }
                else
                {
                    LastFailures++;
                }
            }

            return published;
        }

        private bool Publish(string tenant, string sensorId, Reading reading)
        {
            IReadingGate gate = _tenants.Find(tenant);
            if (gate == null)
            {
                return false;
            }

            int bodyLength;
            try
            {
                _writer.Reset(_body, 0, _body.Length);
                GateEnvelopeWriter.WriteBody(_writer, _device, tenant, sensorId, reading, null);
                bodyLength = _writer.Finish();
            }
            catch (TlvException)
            {
                // The body does not fit one SIGN READING (200 bytes).
                return false;
            }

            int written;
            ushort sw = gate.SignReading(_body, 0, bodyLength, _se, 0, out written);
            if (sw != 0x9000)
            {
                LastStatusWord = sw;
                return false;
            }

            BerTlvWriter w = _writer;
            w.Reset(_envelope, 0, _envelope.Length);
            w.BeginConstructed(GateEnvelope.ReadingTemplate);
            WriteRaw(w, bodyLength);
            w.Write(0x86, _se, 0, 8);
            if (gate.UsesSignature)
            {
                w.Write(0x9E, _se, 8, written - 8);
            }
            else
            {
                w.Write(0x8E, _se, 8, 16);
                w.Write(0x87, _se, 24, 3);
            }

            w.EndConstructed();
            int length = w.Finish();
            byte[] payload = new byte[length];
            Array.Copy(_envelope, 0, payload, 0, length);
            _mqtt.Publish(GateTopics.Reading(_device, tenant, sensorId), payload, MqttQos.AtLeastOnce, false);
            return true;
        }

        private void WriteRaw(BerTlvWriter w, int bodyLength)
        {
            // The body objects are copied as they were signed: re-read and re-write each one.
            var r = new BerTlvReader(_body, 0, bodyLength);
            while (r.Read())
            {
                w.Write(r.Tag, _body, r.ValueOffset, r.ValueLength);
            }
        }
    }
}
