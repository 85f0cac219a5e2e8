using System;
using System.Text;
using System.Threading;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using NanoAgent.Agent.Mqtt;
using M2MqttCommunicationException = nanoFramework.M2Mqtt.Exceptions.MqttCommunicationException;
using M2MqttConnectException = nanoFramework.M2Mqtt.Exceptions.MqttConnectionException;

namespace NanoAgent.Device.Mqtt
{
    /// <summary>
    /// <see cref="IMqttConnection"/> over nanoFramework.M2Mqtt's <see cref="MqttClient"/>. M2Mqtt's Publish and Subscribe
    /// only queue the packet and return its id; this adapter waits (up to a timeout) for the PUBACK/PUBCOMP or SUBACK
    /// so the portable contract "returns once the broker has it" holds on the device too. One request is in flight at a time.
    /// </summary>
    public sealed class M2MqttConnection : IMqttConnection
    {
        private readonly MqttClient _client;
        private readonly int _timeoutMilliseconds;
        private readonly object _sendLock = new object();
        private readonly AutoResetEvent _acked = new AutoResetEvent(false);
        private int _lastAckedId = -1;
        private bool _lastAckedOk;

        /// <summary>Creates the adapter over a client that is not yet connected.</summary>
        /// <param name="client">The M2Mqtt client (owned: disposed with this connection).</param>
        /// <param name="timeoutMilliseconds">How long Publish and Subscribe wait for the broker's acknowledgement.</param>
        public M2MqttConnection(MqttClient client, int timeoutMilliseconds)
        {
            if (client == null)
            {
                throw new ArgumentNullException(nameof(client));
            }

            _client = client;
            _timeoutMilliseconds = timeoutMilliseconds;
            _client.MqttMsgPublishReceived += OnPublishReceived;
            _client.MqttMsgPublished += OnPublished;
            _client.MqttMsgSubscribed += OnSubscribed;
            _client.ConnectionClosed += OnConnectionClosed;
        }

        /// <inheritdoc />
        public event MqttMessageHandler MessageReceived;

        /// <inheritdoc />
        public event EventHandler ConnectionClosed;

        /// <inheritdoc />
        public bool IsConnected
        {
            get { return _client.IsConnected; }
        }

        /// <inheritdoc />
        public void Connect(MqttConnectOptions options)
        {
            bool will = options.WillTopic != null;

            // M2Mqtt takes the will payload as a string; ours is UTF-8 text by convention (status words like "offline").
            string willMessage = will && options.WillPayload != null ? Encoding.UTF8.GetString(options.WillPayload, 0, options.WillPayload.Length) : null;
            MqttReasonCode code;
            try
            {
                code = _client.Connect(
                    options.ClientId,
                    options.UserName,
                    options.Password,
                    options.WillRetain,
                    MqttQoSLevel.AtLeastOnce,
                    will,
                    options.WillTopic,
                    willMessage,
                    options.CleanSession,
                    (ushort)options.KeepAliveSeconds);
            }
            catch (M2MqttConnectException e)
            {
                throw new MqttConnectionException("cannot reach broker: " + e.Message, e);
            }
            catch (M2MqttCommunicationException e)
            {
                throw new MqttConnectionException("cannot reach broker: " + e.Message, e);
            }

            // MQTT 3.1.1 §3.2.2.3: 0 accepted; 4 bad user name or password; 5 not authorized (5.0 uses 0x86/0x87).
            if (code != MqttReasonCode.Success)
            {
                throw new MqttConnectionRefusedException("broker refused the connection: " + Refusal(code));
            }
        }

        /// <inheritdoc />
        public void Subscribe(string[] topics, MqttQos[] qos)
        {
            MqttQoSLevel[] levels = new MqttQoSLevel[qos.Length];
            for (int i = 0; i < qos.Length; i++)
            {
                levels[i] = (MqttQoSLevel)(byte)qos[i];
            }

            lock (_sendLock)
            {
                RequireConnected();
                ushort id = _client.Subscribe(topics, levels);
                WaitForAck(id, "subscribe");
            }
        }

        /// <inheritdoc />
        public void Publish(string topic, byte[] payload, MqttQos qos, bool retain)
        {
            lock (_sendLock)
            {
                RequireConnected();
                ushort id = _client.Publish(topic, payload, null, null, (MqttQoSLevel)(byte)qos, retain);
                if (qos != MqttQos.AtMostOnce)
                {
                    WaitForAck(id, "publish to '" + topic + "'");
                }
            }
        }

        /// <inheritdoc />
        public void Disconnect()
        {
            if (_client.IsConnected)
            {
                _client.Disconnect();
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Disconnect();
            _client.MqttMsgPublishReceived -= OnPublishReceived;
            _client.MqttMsgPublished -= OnPublished;
            _client.MqttMsgSubscribed -= OnSubscribed;
            _client.ConnectionClosed -= OnConnectionClosed;
            _client.Dispose();
        }

        private static string Refusal(MqttReasonCode code)
        {
            int value = (int)code;
            if (value == 4 || value == 0x86)
            {
                return "bad user name or password";
            }

            if (value == 5 || value == 0x87)
            {
                return "not authorized";
            }

            return "reason code 0x" + value.ToString("X2");
        }

        private void RequireConnected()
        {
            if (!_client.IsConnected)
            {
                throw new MqttConnectionException("not connected to the broker");
            }
        }

        private void WaitForAck(ushort id, string what)
        {
            DateTime deadline = DateTime.UtcNow.AddMilliseconds(_timeoutMilliseconds);
            while (true)
            {
                lock (_acked)
                {
                    if (_lastAckedId == id)
                    {
                        if (!_lastAckedOk)
                        {
                            throw new MqttConnectionException(what + " was not acknowledged by the broker");
                        }

                        return;
                    }
                }

                int remaining = (int)((deadline.Ticks - DateTime.UtcNow.Ticks) / TimeSpan.TicksPerMillisecond);
                if (remaining <= 0 || !_client.IsConnected)
                {
                    throw new MqttConnectionException(what + " got no answer from the broker within " + _timeoutMilliseconds + " ms");
                }

                _acked.WaitOne(remaining, false);
            }
        }

        private void Acknowledge(ushort id, bool ok)
        {
            lock (_acked)
            {
                _lastAckedId = id;
                _lastAckedOk = ok;
            }

            _acked.Set();
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            Acknowledge(e.MessageId, e.IsPublished);
        }

        private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e)
        {
            // MQTT 3.1.1 §3.9.3: a granted level of 0x80 means the broker refused that filter.
            bool ok = true;
            for (int i = 0; e.GrantedQoSLevels != null && i < e.GrantedQoSLevels.Length; i++)
            {
                ok &= (int)e.GrantedQoSLevels[i] < 0x80;
            }

            Acknowledge(e.MessageId, ok);
        }

        private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
        {
            MqttMessageHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(this, new MqttMessage(e.Topic, e.Message, (MqttQos)(byte)e.QosLevel, e.DupFlag, e.Retain));
            }
        }

        private void OnConnectionClosed(object sender, EventArgs e)
        {
            EventHandler handler = ConnectionClosed;
            if (handler != null)
            {
                handler(this, EventArgs.Empty);
            }
        }
    }
}
