using System;
using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Agent.Security
{
    /// <summary>
    /// Passes everything to the agent's broker connection and reports each refusal the broker answers with
    /// (<see cref="MqttConnectionRefusedException"/>: its login, a publish or a subscription) to a <see cref="SecurityLog"/>
    /// before the exception goes on. A refused topic <c>nanoagent/{device}/{tenant}/…</c> is reported under its tenant.
    /// </summary>
    public sealed class SecurityWatchConnection : IMqttConnection
    {
        private readonly IMqttConnection _inner;
        private readonly SecurityLog _log;

        /// <summary>Wraps a connection.</summary>
        /// <param name="inner">The connection; disposed with this one.</param>
        /// <param name="log">Where refusals are reported.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        public SecurityWatchConnection(IMqttConnection inner, SecurityLog log)
        {
            if (inner == null || log == null)
            {
                throw new ArgumentNullException(inner == null ? "inner" : "log");
            }

            _inner = inner;
            _log = log;
            _inner.MessageReceived += OnMessage;
            _inner.ConnectionClosed += OnClosed;
        }

        /// <inheritdoc />
        public event MqttMessageHandler MessageReceived;

        /// <inheritdoc />
        public event EventHandler ConnectionClosed;

        /// <inheritdoc />
        public bool IsConnected
        {
            get { return _inner.IsConnected; }
        }

        /// <inheritdoc />
        public void Connect(MqttConnectOptions options)
        {
            try
            {
                _inner.Connect(options);
            }
            catch (MqttConnectionRefusedException e)
            {
                _log.Report(SecurityEventKind.Broker, null, "connect as '" + (options == null ? null : options.UserName) + "'", null, e.Message);
                throw;
            }
        }

        /// <inheritdoc />
        public void Subscribe(string[] topics, MqttQos[] qos)
        {
            try
            {
                _inner.Subscribe(topics, qos);
            }
            catch (MqttConnectionRefusedException e)
            {
                string first = topics != null && topics.Length > 0 ? topics[0] : null;
                _log.Report(SecurityEventKind.Broker, TenantOf(first), "subscribe " + first + (topics != null && topics.Length > 1 ? " (+" + (topics.Length - 1).ToString() + ")" : string.Empty), null, e.Message);
                throw;
            }
        }

        /// <inheritdoc />
        public void Publish(string topic, byte[] payload, MqttQos qos, bool retain)
        {
            try
            {
                _inner.Publish(topic, payload, qos, retain);
            }
            catch (MqttConnectionRefusedException e)
            {
                _log.Report(SecurityEventKind.Broker, TenantOf(topic), "publish " + topic, null, e.Message);
                throw;
            }
        }

        /// <inheritdoc />
        public void Disconnect()
        {
            _inner.Disconnect();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _inner.MessageReceived -= OnMessage;
            _inner.ConnectionClosed -= OnClosed;
            _inner.Dispose();
        }

        // nanoagent/{device}/{tenant}/... (docs/protocol.md §2): the third level, when there is a fourth.
        private static string TenantOf(string topic)
        {
            if (topic == null)
            {
                return null;
            }

            int first = topic.IndexOf('/');
            int second = first < 0 ? -1 : topic.IndexOf('/', first + 1);
            int third = second < 0 ? -1 : topic.IndexOf('/', second + 1);
            return third < 0 ? null : topic.Substring(second + 1, third - second - 1);
        }

        private void OnMessage(object sender, MqttMessage message)
        {
            MqttMessageHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(this, message);
            }
        }

        private void OnClosed(object sender, EventArgs e)
        {
            EventHandler handler = ConnectionClosed;
            if (handler != null)
            {
                handler(this, EventArgs.Empty);
            }
        }
    }
}
