using System;
using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// One <see cref="IMqttConnection"/> for the agent's lifetime over a series of real ones: <see cref="Connect"/> after a
    /// drop throws the dead client away and connects a fresh one from the factory. Events are forwarded from the current client.
    /// </summary>
    internal sealed class SwappableMqttConnection : IMqttConnection
    {
        private readonly IMqttConnectionFactory _factory;
        private IMqttConnection _inner;

        public SwappableMqttConnection(IMqttConnectionFactory factory)
        {
            _factory = factory;
        }

        public event MqttMessageHandler MessageReceived;

        public event EventHandler ConnectionClosed;

        public bool IsConnected
        {
            get { return _inner != null && _inner.IsConnected; }
        }

        public void Connect(MqttConnectOptions options)
        {
            if (_inner != null && !_inner.IsConnected)
            {
                Release();
            }

            if (_inner == null)
            {
                _inner = _factory.Create();
                _inner.MessageReceived += OnMessage;
                _inner.ConnectionClosed += OnClosed;
            }

            _inner.Connect(options);
        }

        public void Subscribe(string[] topics, MqttQos[] qos)
        {
            Current().Subscribe(topics, qos);
        }

        public void Publish(string topic, byte[] payload, MqttQos qos, bool retain)
        {
            Current().Publish(topic, payload, qos, retain);
        }

        public void Disconnect()
        {
            if (_inner != null && _inner.IsConnected)
            {
                _inner.Disconnect();
            }
        }

        public void Dispose()
        {
            Release();
        }

        private IMqttConnection Current()
        {
            if (_inner == null)
            {
                throw new MqttConnectionException("not connected to the broker");
            }

            return _inner;
        }

        private void Release()
        {
            if (_inner == null)
            {
                return;
            }

            _inner.MessageReceived -= OnMessage;
            _inner.ConnectionClosed -= OnClosed;
            _inner.Dispose();
            _inner = null;
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
