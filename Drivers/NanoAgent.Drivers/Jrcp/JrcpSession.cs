using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>
    /// Serves the SE to one JRCP v1 client (NXP's jrcpv1 socket connection, or its VCOM serial connection to a board) until
    /// the link closes, the client sends CLOSE on a connection, or <see cref="Stop"/>. Every bad input gets one
    /// <see cref="IJrcpObserver"/> line and an answer or a drop, never an exception: a message cut short (silence longer
    /// than <see cref="JrcpServerOptions.FrameTimeoutMs"/>, or the link closing) is dropped, an oversized one is read to
    /// its end and answered with an error, an unknown type is answered with an error. Each request holds the SE's
    /// <see cref="SeAccessLock"/> for its exchange; LOCK holds it across messages until UNLOCK, the end of the session, or a
    /// timeout. Buffers are allocated once.
    /// </summary>
    public sealed class JrcpSession
    {
        private readonly IJrcpChannel _channel;
        private readonly SeAccessLock _lock;
        private readonly IClock _clock;
        private readonly JrcpServerOptions _options;
        private readonly IJrcpObserver _observer;
        private readonly JrcpFrameReader _reader;
        private readonly JrcpRequestHandler _handler;
        private readonly byte[] _rx = new byte[256];
        private readonly object _stopGate = new object();
        private bool _stop;

        /// <summary>Creates a session.</summary>
        /// <param name="channel">The link to the client.</param>
        /// <param name="se">The SE lent.</param>
        /// <param name="seLock">The SE's lock, shared with every other user of the SE.</param>
        /// <param name="clock">The clock for the timeouts.</param>
        /// <param name="options">Limits and timeouts.</param>
        /// <param name="observer">Where events go, or null.</param>
        /// <exception cref="ArgumentNullException">A required argument is null.</exception>
        public JrcpSession(IJrcpChannel channel, ILentSe se, SeAccessLock seLock, IClock clock, JrcpServerOptions options, IJrcpObserver observer)
        {
            if (channel == null || se == null || seLock == null || clock == null || options == null)
            {
                throw new ArgumentNullException(channel == null ? "channel" : se == null ? "se" : seLock == null ? "seLock" : clock == null ? "clock" : "options");
            }

            _channel = channel;
            _lock = seLock;
            _clock = clock;
            _options = options;
            _observer = observer;
            _reader = new JrcpFrameReader(options.MaxPayload);
            _handler = new JrcpRequestHandler(channel, se, seLock, clock, options, this);
        }

        /// <summary>Gets how many messages were answered.</summary>
        public int Answered
        {
            get { return _handler.Answered; }
        }

        /// <summary>Asks <see cref="Run"/> to return at its next look at the timeouts.</summary>
        public void Stop()
        {
            lock (_stopGate)
            {
                _stop = true;
            }
        }

        /// <summary>Serves until the link closes, CLOSE ends the session, or <see cref="Stop"/>.</summary>
        /// <returns>Why it stopped.</returns>
        public JrcpSessionEnd Run()
        {
            long lastByte = _clock.Milliseconds;
            try
            {
                while (!Stopping())
                {
                    int n = _channel.Read(_rx, 0, _rx.Length, _options.PollMs);
                    long now = _clock.Milliseconds;
                    if (n < 0)
                    {
                        if (_reader.InMessage)
                        {
                            Report("the client went away in the middle of a message (" + Progress() + "): dropped");
                        }

                        return JrcpSessionEnd.LinkClosed;
                    }

                    if (n == 0)
                    {
                        if (_reader.InMessage && now - lastByte > _options.FrameTimeoutMs)
                        {
                            Report("no byte for " + (now - lastByte) + " ms in the middle of a message (" + Progress() + "): dropped");
                            _reader.Reset();
                            _handler.ReleaseLock("its message was dropped");
                        }

                        _handler.CheckLock(now);
                        continue;
                    }

                    lastByte = now;
                    if (Consume(n))
                    {
                        return JrcpSessionEnd.ClientClosed;
                    }

                    _handler.CheckLock(_clock.Milliseconds);
                }

                return JrcpSessionEnd.Stopped;
            }
            finally
            {
                _handler.ReleaseLock(null);
            }
        }

        /// <summary>Reports an event to the observer.</summary>
        /// <param name="line">The line.</param>
        internal void Report(string line)
        {
            if (_observer != null)
            {
                _observer.Event(line);
            }
        }

        private bool Stopping()
        {
            lock (_stopGate)
            {
                return _stop;
            }
        }

        private bool Consume(int count)
        {
            int at = 0;
            while (at < count)
            {
                at += _reader.Push(_rx, at, count - at);
                if (!_reader.IsComplete)
                {
                    continue;
                }

                bool close = _handler.Handle(_reader);
                _reader.Reset();
                if (close && _options.CloseEndsSession)
                {
                    return true;
                }
            }

            return false;
        }

        private string Progress()
        {
            int expected = _reader.Expected;
            return expected == 0
                ? _reader.Received + " of the 4 header bytes"
                : _reader.Received + " of " + expected + " bytes, type 0x" + _reader.Type.ToString("X2");
        }
    }
}
