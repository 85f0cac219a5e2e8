using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// The runtime's broker link: the first connect (which also reports runs a reboot interrupted), reconnects with
    /// exponential back-off after a drop, re-subscription of the gates' actuate topics, and how long the broker has been away.
    /// </summary>
    internal sealed class RuntimeBroker
    {
        private readonly AgentConfig _config;
        private readonly IAgentLog _log;
        private readonly IClock _clock;
        private readonly SwappableMqttConnection _mqtt;
        private readonly AgentService _service;
        private readonly RuntimeGating _gating;
        private readonly ReconnectBackoff _backoff;
        private long _nextAttempt;
        private bool _started;
        private bool _ready;

        public RuntimeBroker(AgentConfig config, IAgentLog log, IClock clock, SwappableMqttConnection mqtt, AgentService service, RuntimeGating gating)
        {
            _config = config;
            _log = log;
            _clock = clock;
            _mqtt = mqtt;
            _service = service;
            _gating = gating;
            _backoff = new ReconnectBackoff(config.ReconnectMinMs, config.ReconnectMaxMs);
            DownSince = -1;
        }

        public bool IsReady
        {
            get { return _ready && _mqtt.IsConnected; }
        }

        /// <summary>Gets when the broker was found unreachable (clock milliseconds), or -1 while connected.</summary>
        public long DownSince { get; private set; }

        public void Step()
        {
            if (IsReady)
            {
                return;
            }

            if (_ready || DownSince < 0)
            {
                _ready = false;
                DownSince = _clock.Milliseconds;
                if (_started)
                {
                    _log.Line("broker " + Address() + " lost: reconnecting");
                }
            }

            if (_clock.Milliseconds < _nextAttempt)
            {
                return;
            }

            try
            {
                if (!_started)
                {
                    _started = true;
                    _service.Start(RuntimeChecks.ConnectOptions(_config));
                }
                else
                {
                    _service.Reconnect();
                }

                if (_gating != null)
                {
                    _gating.Subscribe();
                }
            }
            catch (MqttConnectionException e)
            {
                int delay = _backoff.NextDelay();
                _nextAttempt = _clock.Milliseconds + delay;
                _log.Line("broker " + Address() + " unreachable (" + e.Message + "): retry in " + delay + " ms");
                return;
            }

            _backoff.Reset();
            _ready = true;
            DownSince = -1;
            _nextAttempt = 0;
            _log.Line("broker " + Address() + " connected: online");
        }

        public void Stop()
        {
            if (IsReady)
            {
                _service.Stop();
            }

            _mqtt.Dispose();
        }

        private string Address()
        {
            return _config.BrokerHost + ":" + _config.BrokerPort;
        }
    }
}
