using System;
using System.Threading;
using NanoAgent.Agent.Runtime;
using nanoFramework.Runtime.Native;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// A watchdog in managed code: a thread reboots the board (<c>Power.RebootDevice</c>) when <see cref="Feed"/> has not been
    /// called for the timeout. nanoFramework 1.x offers no managed API to the chip's hardware watchdog, so this is what the
    /// firmware has; it catches a stuck agent loop, not a hung runtime (ESP-IDF's own task watchdog covers native hangs).
    /// </summary>
    public sealed class SoftwareWatchdog : IWatchdog
    {
        private readonly int _timeoutMs;
        private readonly object _gate = new object();
        private long _lastFeedTicks;

        /// <summary>Creates the watchdog, not yet running.</summary>
        /// <param name="timeoutMs">How long without a feed before the reboot; longer than the slowest healthy loop iteration.</param>
        public SoftwareWatchdog(int timeoutMs)
        {
            _timeoutMs = timeoutMs;
            _lastFeedTicks = DateTime.UtcNow.Ticks;
        }

        /// <summary>Starts the checking thread.</summary>
        public void Start()
        {
            Thread thread = new Thread(Watch);
            thread.Start();
        }

        /// <inheritdoc />
        public void Feed()
        {
            lock (_gate)
            {
                _lastFeedTicks = DateTime.UtcNow.Ticks;
            }
        }

        private void Watch()
        {
            while (true)
            {
                Thread.Sleep(1000);
                long last;
                lock (_gate)
                {
                    last = _lastFeedTicks;
                }

                long idleMs = (DateTime.UtcNow.Ticks - last) / TimeSpan.TicksPerMillisecond;
                if (idleMs > _timeoutMs)
                {
                    Power.RebootDevice();
                }
            }
        }
    }
}
