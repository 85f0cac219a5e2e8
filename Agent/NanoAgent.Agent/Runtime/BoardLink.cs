using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// The board link: the firmware lends its SE on a serial port with NXP's VCOM framing (JRCP v1,
    /// <see cref="JrcpSession"/>), so NXP's tools and <c>nanoagent ... --via serial:</c> reach it from a PC. It shares the
    /// runtime's <see cref="SeAccessLock"/>: a relay run or a gate's exchange and a lab request never interleave, a lab
    /// request waits at most <see cref="JrcpServerOptions.LockWaitMs"/> for the SE, and a lab LOCK is given back after
    /// <see cref="JrcpServerOptions.LockIdleMs"/> of silence or <see cref="JrcpServerOptions.LockMaxMs"/> in all, well
    /// under the watchdog's 60 s. While the port is unused the relay and the gates run as without it. Run
    /// <see cref="Run"/> on a thread of its own.
    /// </summary>
    public sealed class BoardLink
    {
        private readonly IJrcpChannel _channel;
        private readonly ILentSe _se;
        private readonly SeAccessLock _lock;
        private readonly IClock _clock;
        private readonly IAgentLog _log;
        private readonly Observer _observer;
        private JrcpSession _session;
        private readonly object _gate = new object();
        private bool _stopped;

        internal BoardLink(IJrcpChannel channel, ILentSe se, SeAccessLock seLock, IClock clock, IAgentLog log)
        {
            _channel = channel;
            _se = se;
            _lock = seLock;
            _clock = clock;
            _log = log;
            _observer = new Observer(log);
            Options = new JrcpServerOptions();
            Options.CloseEndsSession = false;
        }

        /// <summary>Gets the session settings (a serial port: CLOSE keeps it open for the next client).</summary>
        public JrcpServerOptions Options { get; private set; }

        /// <summary>Serves until <see cref="Stop"/>; a broken port is tried again after a second, an unexpected error is logged and serving goes on.</summary>
        public void Run()
        {
            _log.Line("board link: serving the SE (JRCP v1/VCOM framing)");
            while (!IsStopped())
            {
                JrcpSession session = new JrcpSession(_channel, _se, _lock, _clock, Options, _observer);
                lock (_gate)
                {
                    _session = session;
                }

                try
                {
                    if (session.Run() == JrcpSessionEnd.LinkClosed && !IsStopped())
                    {
                        _log.Line("board link: the port closed; trying again in 1 s");
                        _clock.Sleep(1000);
                    }
                }
                catch (Exception e)
                {
                    // A bug below must not end lending for good, nor take the relay down with it.
                    _log.Line("board link error: " + e.GetType().Name + ": " + e.Message);
                    _clock.Sleep(1000);
                }
            }
        }

        /// <summary>Stops serving at the session's next look at its timeouts.</summary>
        public void Stop()
        {
            lock (_gate)
            {
                _stopped = true;
                if (_session != null)
                {
                    _session.Stop();
                }
            }
        }

        private bool IsStopped()
        {
            lock (_gate)
            {
                return _stopped;
            }
        }

        private sealed class Observer : IJrcpObserver
        {
            private readonly IAgentLog _log;

            public Observer(IAgentLog log)
            {
                _log = log;
            }

            public void Event(string line)
            {
                _log.Line("board link: " + line);
            }
        }
    }
}
