using System.Collections;

namespace NanoAgent.Agent.Mqtt
{
    /// <summary>The topic filters a connection was asked for, with their QoS; a filter given twice keeps the latest QoS.</summary>
    internal sealed class SubscriptionSet
    {
        private readonly ArrayList _topics = new ArrayList();
        private readonly ArrayList _qos = new ArrayList();

        internal int Count
        {
            get { return _topics.Count; }
        }

        internal void Add(string[] topics, MqttQos[] qos)
        {
            for (int i = 0; i < topics.Length; i++)
            {
                int index = _topics.IndexOf(topics[i]);
                if (index >= 0)
                {
                    _qos[index] = qos[i];
                }
                else
                {
                    _topics.Add(topics[i]);
                    _qos.Add(qos[i]);
                }
            }
        }

        internal string[] Topics()
        {
            string[] topics = new string[_topics.Count];
            for (int i = 0; i < topics.Length; i++)
            {
                topics[i] = (string)_topics[i];
            }

            return topics;
        }

        internal MqttQos[] Qos()
        {
            MqttQos[] qos = new MqttQos[_qos.Count];
            for (int i = 0; i < qos.Length; i++)
            {
                qos[i] = (MqttQos)_qos[i];
            }

            return qos;
        }
    }
}
