using System;
using System.Collections;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Service
{
    /// <summary>
    /// Joins an <see cref="IMqttConnection"/>, the <see cref="TenantRegistry"/> and a <see cref="ScriptRelay"/>: subscribes to
    /// each tenant's request topic, announces itself on the retained status topic (last will "offline"), routes each request
    /// by the tenant of its topic, and publishes results and progress at QoS 1. Results that cannot be published wait in an
    /// outbox until <see cref="Flush"/> after a reconnect. Received messages are queued by the connection's thread and
    /// handled by <see cref="ProcessInbound"/> (a worker thread, or the test), so a script never blocks the MQTT client.
    /// </summary>
    public sealed class AgentService
    {
        /// <summary>The most results kept while the broker is unreachable; the oldest go first (they stay in the relay store).</summary>
        public const int MaxPending = 64;

        /// <summary>The default bound, in payload bytes, of the inbound queue (requests received, not handled yet): eight
        /// requests at the board's 1 KB MQTT payload cap, or hundreds of interactive APDUs (docs/performance.md budget).</summary>
        public const int DefaultMaxInboundBytes = 8192;

        private readonly IMqttConnection _mqtt;
        private readonly TenantRegistry _tenants;
        private readonly ScriptRelay _relay;
        private readonly string _deviceId;
        private readonly FairInbound _inbound = new FairInbound();
        private readonly ArrayList _outbox = new ArrayList();
        private readonly ArrayList _subscribed = new ArrayList();
        private readonly object _inboundGate = new object();
        private readonly object _outboxGate = new object();
        private MqttConnectOptions _options;
        private int _droppedInbound;

        /// <summary>Creates the service and makes it the relay's listener.</summary>
        /// <param name="mqtt">The broker connection; not owned.</param>
        /// <param name="tenants">The tenants served.</param>
        /// <param name="relay">The relay.</param>
        /// <param name="deviceId">The device id (an identifier: A-Z a-z 0-9 . _ -); the second topic level.</param>
        /// <exception cref="ArgumentException">An argument is null or the device id is not an identifier.</exception>
        public AgentService(IMqttConnection mqtt, TenantRegistry tenants, ScriptRelay relay, string deviceId)
        {
            if (mqtt == null || tenants == null || relay == null || !TlvFields.IsIdent(deviceId, 64))
            {
                throw new ArgumentException("The connection, tenants and relay are required, and the device id must be an identifier.");
            }

            _mqtt = mqtt;
            _tenants = tenants;
            _relay = relay;
            _deviceId = deviceId;
            _relay.Listener = new Listener(this);
            _mqtt.MessageReceived += OnMessage;
        }

        /// <summary>Gets the number of results waiting to be published.</summary>
        public int PendingCount
        {
            get
            {
                lock (_outboxGate)
                {
                    return _outbox.Count;
                }
            }
        }

        /// <summary>
        /// Gets or sets the most payload bytes queued for <see cref="ProcessInbound"/>; a message that does not fit is dropped
        /// and counted in <see cref="DroppedInbound"/> (its sender re-sends it, docs/reliability.md). The bound keeps a burst
        /// from exhausting a small device's heap; a PC can afford megabytes. One message is always taken when the queue is empty.
        /// </summary>
        public int MaxInboundBytes { get; set; } = DefaultMaxInboundBytes;

        /// <summary>Gets how many received messages were dropped because the inbound queue was full.</summary>
        public int DroppedInbound
        {
            get
            {
                lock (_inboundGate)
                {
                    return _droppedInbound;
                }
            }
        }

        /// <summary>Gets the number of received messages not handled yet.</summary>
        public int InboundCount
        {
            get { return _inbound.Count; }
        }

        /// <summary>Connects with the status will, subscribes, announces "online", reports runs a reboot interrupted, and flushes.</summary>
        /// <param name="options">Client id, credentials and keep-alive; the will fields are set by the service.</param>
        /// <exception cref="MqttConnectionException">The broker cannot be reached; call <see cref="Reconnect"/> later.</exception>
        public void Start(MqttConnectOptions options)
        {
            if (options == null)
            {
                throw new ArgumentNullException("options");
            }

            // The will is published by the broker if the agent vanishes without a DISCONNECT (MQTT 3.1.1 §3.1.2.5).
            options.WillTopic = AgentTopics.Status(_deviceId);
            options.WillPayload = Status(false);
            options.WillRetain = true;
            _options = options;
            _relay.Recover();
            Reconnect();
        }

        /// <summary>Connects again after the connection closed, subscribes, announces "online" and flushes the outbox.</summary>
        /// <exception cref="MqttConnectionException">The broker cannot be reached.</exception>
        public void Reconnect()
        {
            if (_options == null)
            {
                throw new InvalidOperationException("Start the service first.");
            }

            if (!_mqtt.IsConnected)
            {
                _mqtt.Connect(_options);
            }

            Tenant[] all = _tenants.All();
            string[] topics = new string[all.Length];
            MqttQos[] qos = new MqttQos[all.Length];
            for (int i = 0; i < all.Length; i++)
            {
                topics[i] = AgentTopics.Request(_deviceId, all[i].Id);
                qos[i] = MqttQos.AtLeastOnce;
            }

            if (topics.Length > 0)
            {
                _mqtt.Subscribe(topics, qos);
            }

            _subscribed.Clear();
            for (int i = 0; i < topics.Length; i++)
            {
                _subscribed.Add(topics[i]);
            }

            _mqtt.Publish(AgentTopics.Status(_deviceId), Status(true), MqttQos.AtLeastOnce, true);
            Flush();
        }

        /// <summary>
        /// Subscribes the request topics of tenants added at run time (onboarding, provider change). A revoked tenant's requests
        /// are refused as "unknown tenant" at once; its subscription lasts until the next reconnect, as <see cref="IMqttConnection"/>
        /// has no unsubscribe (the broker's access rules are what stop the old provider publishing, docs/threat-model.md).
        /// </summary>
        /// <returns>The number of topics newly subscribed.</returns>
        /// <exception cref="MqttConnectionException">The broker cannot be reached.</exception>
        public int RefreshSubscriptions()
        {
            Tenant[] all = _tenants.All();
            ArrayList fresh = new ArrayList();
            for (int i = 0; i < all.Length; i++)
            {
                string topic = AgentTopics.Request(_deviceId, all[i].Id);
                if (!_subscribed.Contains(topic))
                {
                    fresh.Add(topic);
                }
            }

            if (fresh.Count == 0)
            {
                return 0;
            }

            string[] topics = new string[fresh.Count];
            MqttQos[] qos = new MqttQos[fresh.Count];
            for (int i = 0; i < topics.Length; i++)
            {
                topics[i] = (string)fresh[i];
                qos[i] = MqttQos.AtLeastOnce;
            }

            _mqtt.Subscribe(topics, qos);
            for (int i = 0; i < topics.Length; i++)
            {
                _subscribed.Add(topics[i]);
            }

            return topics.Length;
        }

        /// <summary>Announces "offline" (retained) and disconnects.</summary>
        public void Stop()
        {
            try
            {
                _mqtt.Publish(AgentTopics.Status(_deviceId), Status(false), MqttQos.AtLeastOnce, true);
                _mqtt.Disconnect();
            }
            catch (MqttConnectionException)
            {
                // Already gone: the broker published the will.
            }
        }

        /// <summary>Publishes the waiting results in order, stopping at the first failure.</summary>
        /// <returns>The number published.</returns>
        public int Flush()
        {
            int sent = 0;
            lock (_outboxGate)
            {
                while (_outbox.Count > 0)
                {
                    Outgoing next = (Outgoing)_outbox[0];
                    try
                    {
                        _mqtt.Publish(next.Topic, next.Payload, MqttQos.AtLeastOnce, false);
                    }
                    catch (MqttConnectionException)
                    {
                        break;
                    }

                    _outbox.RemoveAt(0);
                    sent++;
                }
            }

            return sent;
        }

        /// <summary>
        /// Handles every queued message, each tenant's in arrival order and the tenants in turn (one message each per
        /// round, <see cref="FairInbound"/>), and closes idle interactive sessions.
        /// </summary>
        /// <returns>The number of messages handled.</returns>
        public int ProcessInbound()
        {
            int handled = 0;
            MqttMessage message;
            while ((message = _inbound.TryTake()) != null)
            {
                Route(message);
                handled++;
            }

            _relay.ExpireIdleSessions();
            return handled;
        }

        private void OnMessage(object sender, MqttMessage message)
        {
            string tenant = message.Topic == null ? null : AgentTopics.TenantOfRequest(_deviceId, message.Topic);
            if (!_inbound.TryAdd(tenant ?? string.Empty, message, MaxInboundBytes))
            {
                lock (_inboundGate)
                {
                    _droppedInbound++;
                }
            }
        }

        private void Route(MqttMessage message)
        {
            string tenant = AgentTopics.TenantOfRequest(_deviceId, message.Topic);
            if (tenant == null || message.Retained)
            {
                // Not a request topic of this device, or the retained copy a broker hands to a new subscription (MQTT 3.1.1
                // §3.3.1.3): a script runs once, when it is published, never again at a later (re)subscribe.
                return;
            }

            // A tenant not in the registry (never added, or revoked by a provider change) reaches the relay, which answers
            // "unknown tenant" without sending anything to the SE, so its backend learns why.

            MessageType type = ScriptMessageCodec.PeekType(message.Payload);
            try
            {
                if (type == MessageType.ScriptRequest)
                {
                    _relay.Submit(tenant, ScriptMessageCodec.DecodeScriptRequest(message.Payload));
                }
                else if (type == MessageType.ApduRequest)
                {
                    _relay.Forward(tenant, ScriptMessageCodec.DecodeApduRequest(message.Payload));
                }
                else if (type == 0)
                {
                    // Another version byte, or no message tag of §3: undecodable (docs/protocol.md §3).
                    _relay.Reject(tenant, RejectReason.Malformed);
                }
                else
                {
                    _relay.Reject(tenant, RejectReason.UnexpectedMessage);
                }
            }
            catch (AgentMessageException e)
            {
                _relay.Reject(tenant, e.Error == AgentMessageError.TooLarge ? RejectReason.TooLarge : RejectReason.Malformed);
            }
        }

        private void Send(string topic, byte[] payload, bool keep)
        {
            lock (_outboxGate)
            {
                if (_outbox.Count == 0 || !keep)
                {
                    try
                    {
                        _mqtt.Publish(topic, payload, MqttQos.AtLeastOnce, false);
                        return;
                    }
                    catch (MqttConnectionException)
                    {
                        if (!keep)
                        {
                            return; // Progress is transient: the result follows.
                        }
                    }
                }

                if (_outbox.Count == MaxPending)
                {
                    _outbox.RemoveAt(0);
                }

                _outbox.Add(new Outgoing(topic, payload));
            }
        }

        private byte[] Status(bool online)
        {
            AgentStatus status = new AgentStatus();
            status.Online = online;
            status.DeviceId = _deviceId;
            return StatusMessageCodec.Encode(status);
        }

        private sealed class Outgoing
        {
            public Outgoing(string topic, byte[] payload)
            {
                Topic = topic;
                Payload = payload;
            }

            public string Topic { get; }

            public byte[] Payload { get; }
        }

        private sealed class Listener : IRelayListener
        {
            private readonly AgentService _service;

            public Listener(AgentService service)
            {
                _service = service;
            }

            public void OnProgress(string tenantId, ScriptProgress progress)
            {
                _service.Send(AgentTopics.Progress(_service._deviceId, tenantId), ReportMessageCodec.Encode(progress), false);
            }

            public void OnResult(string tenantId, ScriptResult result)
            {
                _service.Send(AgentTopics.Response(_service._deviceId, tenantId), ReportMessageCodec.Encode(result), true);
            }

            public void OnApduResponse(string tenantId, ApduResponse response)
            {
                _service.Send(AgentTopics.Response(_service._deviceId, tenantId), ReportMessageCodec.Encode(response), true);
            }
        }
    }
}
