using System;
using System.Threading;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Agent.Mqtt
{
    /// <summary>
    /// Wraps any <see cref="IMqttConnection"/> and keeps it up: when the link drops it reconnects on a background thread
    /// with exponential back-off, subscribes again to every filter it was given, and then sends the publishes it held
    /// while the broker was unreachable, in order. The buffer is bounded: when full the oldest publish is dropped and
    /// counted in <see cref="DroppedPublishes"/> (a fresh status message matters more than a stale one); with
    /// <see cref="ReconnectOptions.MaxBufferedPublishes"/> zero, a publish while down throws instead.
    /// The first <see cref="Connect"/> is not retried: it throws so the caller learns about a wrong address at once.
    /// </summary>
    public sealed class ReconnectingMqttConnection : IMqttConnection
    {
        private readonly IMqttConnection _inner;
        private readonly bool _ownsInner;
        private readonly IClock _clock;
        private readonly ReconnectOptions _options;
        private readonly ReconnectBackoff _backoff;
        private readonly object _lock = new object();
        private readonly SubscriptionSet _subscriptions = new SubscriptionSet();
        private readonly PublishBuffer _pending;
        private MqttConnectOptions _connectOptions;
        private bool _closed = true;
        private bool _reconnecting;
        private int _reconnects;
        private int _refused;

        /// <summary>Creates the wrapper.</summary>
        /// <param name="inner">The connection to keep up.</param>
        /// <param name="clock">Time source for back-off delays (a virtual clock in tests).</param>
        /// <param name="options">Back-off and buffer settings, or null for the defaults.</param>
        /// <param name="ownsInner">Whether <see cref="Dispose"/> disposes <paramref name="inner"/>.</param>
        public ReconnectingMqttConnection(IMqttConnection inner, IClock clock, ReconnectOptions options, bool ownsInner)
        {
            if (inner == null)
            {
                throw new ArgumentNullException(nameof(inner));
            }

            if (clock == null)
            {
                throw new ArgumentNullException(nameof(clock));
            }

            _inner = inner;
            _clock = clock;
            _options = options ?? new ReconnectOptions();
            _ownsInner = ownsInner;
            _backoff = new ReconnectBackoff(_options.MinDelayMilliseconds, _options.MaxDelayMilliseconds);
            _pending = new PublishBuffer(_options.MaxBufferedPublishes);
            _inner.MessageReceived += OnInnerMessage;
            _inner.ConnectionClosed += OnInnerClosed;
        }

        /// <inheritdoc />
        public event MqttMessageHandler MessageReceived;

        /// <summary>Raised only when this connection is closed by <see cref="Disconnect"/> or <see cref="Dispose"/>; drops are handled inside.</summary>
        public event EventHandler ConnectionClosed;

        /// <summary>Raised when the link drops and reconnecting starts.</summary>
        public event EventHandler ConnectionLost;

        /// <summary>Raised after a reconnect, once subscriptions are restored and buffered publishes are sent.</summary>
        public event EventHandler Reconnected;

        /// <inheritdoc />
        public bool IsConnected
        {
            get { return _inner.IsConnected; }
        }

        /// <summary>Gets how many buffered publishes were dropped because the buffer was full.</summary>
        public int DroppedPublishes
        {
            get { lock (_lock) { return _pending.Dropped; } }
        }

        /// <summary>Gets how many publishes wait for the broker.</summary>
        public int BufferedPublishes
        {
            get { lock (_lock) { return _pending.Count; } }
        }

        /// <summary>Gets how many held publishes the broker refused when they were sent after a reconnect (MQTT 5 PUBACK 0x87 not
        /// authorized): they are dropped, since sending them again would be refused again.</summary>
        public int RefusedPublishes
        {
            get { lock (_lock) { return _refused; } }
        }

        /// <summary>Gets how many times the link was restored.</summary>
        public int Reconnects
        {
            get { lock (_lock) { return _reconnects; } }
        }

        /// <inheritdoc />
        public void Connect(MqttConnectOptions options)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            lock (_lock)
            {
                _connectOptions = options;
                _closed = false;
            }

            _inner.Connect(options);
            if (!Restore())
            {
                StartReconnect();
            }
        }

        /// <inheritdoc />
        public void Subscribe(string[] topics, MqttQos[] qos)
        {
            if (topics == null || qos == null || topics.Length != qos.Length)
            {
                throw new ArgumentException("topics and qos must be non-null and of the same length");
            }

            lock (_lock)
            {
                if (_inner.IsConnected)
                {
                    try
                    {
                        _inner.Subscribe(topics, qos);
                    }
                    catch (MqttConnectionException)
                    {
                        if (_inner.IsConnected)
                        {
                            throw; // the broker refused: not a drop, and not to be asked again after a reconnect
                        }
                    }
                }

                _subscriptions.Add(topics, qos); // subscribed again on every reconnect
            }
        }

        /// <inheritdoc />
        public void Publish(string topic, byte[] payload, MqttQos qos, bool retain)
        {
            lock (_lock)
            {
                if (_inner.IsConnected && _pending.Count == 0)
                {
                    try
                    {
                        _inner.Publish(topic, payload, qos, retain);
                        return;
                    }
                    catch (MqttConnectionException)
                    {
                        if (_inner.IsConnected)
                        {
                            throw; // the broker refused: not a drop
                        }
                    }
                }

                _pending.Add(topic, payload, qos, retain);
            }
        }

        /// <inheritdoc />
        public void Disconnect()
        {
            bool wasOpen;
            lock (_lock)
            {
                wasOpen = !_closed;
                _closed = true;
            }

            if (_inner.IsConnected)
            {
                _inner.Disconnect();
            }

            if (wasOpen)
            {
                EventHandler handler = ConnectionClosed;
                if (handler != null)
                {
                    handler(this, EventArgs.Empty);
                }
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Disconnect();
            _inner.MessageReceived -= OnInnerMessage;
            _inner.ConnectionClosed -= OnInnerClosed;
            if (_ownsInner)
            {
                _inner.Dispose();
            }
        }

        // Subscribes again and sends held publishes; false if the link dropped meanwhile (the rest stays buffered).
        private bool Restore()
        {
            lock (_lock)
            {
                try
                {
                    if (_subscriptions.Count > 0)
                    {
                        try
                        {
                            _inner.Subscribe(_subscriptions.Topics(), _subscriptions.Qos());
                        }
                        catch (MqttConnectionRefusedException)
                        {
                            if (!_inner.IsConnected)
                            {
                                throw;
                            }

                            // The broker's rules changed while the link was down: go on with what it grants.
                        }
                    }

                    while (_pending.Count > 0)
                    {
                        PendingPublish next = _pending.Peek();
                        try
                        {
                            _inner.Publish(next.Topic, next.Payload, next.Qos, next.Retain);
                        }
                        catch (MqttConnectionRefusedException)
                        {
                            if (!_inner.IsConnected)
                            {
                                throw;
                            }

                            _refused++;
                        }

                        _pending.RemoveFirst();
                    }

                    return true;
                }
                catch (MqttConnectionException)
                {
                    return false;
                }
            }
        }

        private void OnInnerMessage(object sender, MqttMessage message)
        {
            MqttMessageHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(this, message);
            }
        }

        private void OnInnerClosed(object sender, EventArgs e)
        {
            lock (_lock)
            {
                if (_closed)
                {
                    return;
                }
            }

            EventHandler handler = ConnectionLost;
            if (handler != null)
            {
                handler(this, EventArgs.Empty);
            }

            StartReconnect();
        }

        private void StartReconnect()
        {
            lock (_lock)
            {
                if (_reconnecting || _closed)
                {
                    return;
                }

                _reconnecting = true;
            }

            Thread thread = new Thread(ReconnectLoop);
#if !NANOFRAMEWORK_1_0
            // nanoFramework's Thread has no IsBackground (the device never exits); on the host the loop must not hold the process.
            thread.IsBackground = true;
#endif
            thread.Start();
        }

        private void ReconnectLoop()
        {
            while (true)
            {
                _clock.Sleep(_backoff.NextDelay());
                MqttConnectOptions options;
                lock (_lock)
                {
                    if (_closed)
                    {
                        _reconnecting = false;
                        return;
                    }

                    options = _connectOptions;
                }

                try
                {
                    if (!_inner.IsConnected)
                    {
                        _inner.Connect(options);
                    }
                }
                catch (MqttConnectionException)
                {
                    continue;
                }

                if (!Restore())
                {
                    continue;
                }

                lock (_lock)
                {
                    _backoff.Reset();
                    _reconnects++;
                    _reconnecting = false;
                }

                EventHandler handler = Reconnected;
                if (handler != null)
                {
                    handler(this, EventArgs.Empty);
                }

                return;
            }
        }
    }
}
