using System;
using System.Collections;

namespace NanoAgent.Agent.Mqtt
{
    /// <summary>A bounded first-in first-out queue of publishes held while the broker is unreachable; drops the oldest when full.</summary>
    internal sealed class PublishBuffer
    {
        private readonly ArrayList _items = new ArrayList();
        private readonly int _capacity;

        internal PublishBuffer(int capacity)
        {
            _capacity = capacity;
        }

        internal int Count
        {
            get { return _items.Count; }
        }

        internal int Dropped { get; private set; }

        internal void Add(string topic, byte[] payload, MqttQos qos, bool retain)
        {
            if (_capacity <= 0)
            {
                throw new MqttConnectionException("not connected to the broker and publish buffering is off");
            }

            if (_items.Count >= _capacity)
            {
                _items.RemoveAt(0);
                Dropped++;
            }

            // The caller may reuse its buffer once Publish returns.
            byte[] copy = new byte[payload == null ? 0 : payload.Length];
            if (payload != null)
            {
                Array.Copy(payload, copy, payload.Length);
            }

            _items.Add(new PendingPublish(topic, copy, qos, retain));
        }

        internal PendingPublish Peek()
        {
            return (PendingPublish)_items[0];
        }

        internal void RemoveFirst()
        {
            _items.RemoveAt(0);
        }
    }
}
