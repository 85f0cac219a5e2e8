using System.Collections;
using NanoAgent.Agent.Mqtt;

namespace NanoAgent.Agent.Service
{
    /// <summary>
    /// The received messages waiting for the relay's worker: one first-in first-out queue per tenant (the tenant of the
    /// request topic), taken in turn, so a tenant that sends a burst delays each other tenant by at most one of its
    /// requests per turn, not by the whole burst (docs/reliability.md §2). Each tenant's own messages keep their arrival
    /// order, so its counters and an interactive session's sequence stay in order. Bounded in payload bytes: a message
    /// that does not fit is refused (one is always taken when nothing waits). Thread-safe; the MQTT client's thread adds,
    /// the worker takes.
    /// </summary>
    internal sealed class FairInbound
    {
        private readonly Hashtable _queues = new Hashtable();
        private readonly ArrayList _turns = new ArrayList();
        private readonly object _gate = new object();
        private int _next;
        private int _count;
        private int _bytes;

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _count;
                }
            }
        }

        /// <summary>Queues a message behind its tenant's; false when it would take the queue past <paramref name="maxBytes"/>.</summary>
        /// <param name="tenant">The tenant of its topic ("" for a topic that is not a request topic).</param>
        /// <param name="message">The message.</param>
        /// <param name="maxBytes">The most payload bytes queued at once.</param>
        public bool TryAdd(string tenant, MqttMessage message, int maxBytes)
        {
            int size = message.Payload == null ? 0 : message.Payload.Length;
            lock (_gate)
            {
                if (_count > 0 && _bytes + size > maxBytes)
                {
                    return false;
                }

                ArrayList queue = (ArrayList)_queues[tenant];
                if (queue == null)
                {
                    queue = new ArrayList();
                    _queues[tenant] = queue;
                    _turns.Add(tenant);
                }

                queue.Add(message);
                _count++;
                _bytes += size;
                return true;
            }
        }

        /// <summary>Takes the oldest message of the next tenant in turn that has one; null when none waits.</summary>
        public MqttMessage TryTake()
        {
            lock (_gate)
            {
                for (int tried = 0; tried < _turns.Count; tried++)
                {
                    if (_next >= _turns.Count)
                    {
                        _next = 0;
                    }

                    string tenant = (string)_turns[_next];
                    ArrayList queue = (ArrayList)_queues[tenant];
                    if (queue.Count == 0)
                    {
                        // A tenant that has nothing queued leaves the rotation until it sends again.
                        _queues.Remove(tenant);
                        _turns.RemoveAt(_next);
                        tried--;
                        if (_turns.Count == 0)
                        {
                            break;
                        }

                        continue;
                    }

                    MqttMessage message = (MqttMessage)queue[0];
                    queue.RemoveAt(0);
                    _next++;
                    _count--;
                    _bytes -= message.Payload == null ? 0 : message.Payload.Length;
                    return message;
                }

                return null;
            }
        }
    }
}
