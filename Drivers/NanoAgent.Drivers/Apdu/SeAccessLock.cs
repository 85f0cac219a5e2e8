using System;
using System.Threading;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// Who may talk to the SE now: one owner at a time (the relay, a gate, a lab tool's session), re-entrant for that owner,
    /// waited for with a time limit. A holder keeps the SE for a whole exchange (a relay run, a lab tool's LOCK span), so
    /// two owners' APDUs never interleave. Built on <see cref="AutoResetEvent"/>: nanoFramework's mscorlib has neither
    /// <c>Monitor.TryEnter</c> nor <c>Monitor.Wait</c> (checked on mscorlib 1.17.11).
    /// </summary>
    public sealed class SeAccessLock
    {
        private const int PollMs = 50;

        private readonly object _sync = new object();
        private readonly AutoResetEvent _freed = new AutoResetEvent(false);
        private readonly IClock _clock;
        private object _owner;
        private int _depth;

        /// <summary>Creates a free lock.</summary>
        /// <param name="clock">The clock for the time limits.</param>
        /// <exception cref="ArgumentNullException"><paramref name="clock"/> is null.</exception>
        public SeAccessLock(IClock clock)
        {
            if (clock == null)
            {
                throw new ArgumentNullException("clock");
            }

            _clock = clock;
        }

        /// <summary>Gets the owner holding the lock, or null when it is free.</summary>
        public object Owner
        {
            get
            {
                lock (_sync)
                {
                    return _owner;
                }
            }
        }

        /// <summary>Takes the lock for <paramref name="owner"/>, waiting at most <paramref name="timeoutMs"/>.</summary>
        /// <param name="owner">Who takes it; the same owner may take it again (each take needs its <see cref="Exit"/>).</param>
        /// <param name="timeoutMs">The longest wait in milliseconds; <see cref="Timeout.Infinite"/> waits for ever.</param>
        /// <returns>True when <paramref name="owner"/> holds the lock, false when the time ran out.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
        public bool TryEnter(object owner, int timeoutMs)
        {
            if (owner == null)
            {
                throw new ArgumentNullException("owner");
            }

            long deadline = _clock.Milliseconds + timeoutMs;
            while (true)
            {
                lock (_sync)
                {
                    if (_owner == null || _owner == owner)
                    {
                        _owner = owner;
                        _depth++;
                        return true;
                    }
                }

                int wait = PollMs;
                if (timeoutMs != Timeout.Infinite)
                {
                    long left = deadline - _clock.Milliseconds;
                    if (left <= 0)
                    {
                        return false;
                    }

                    if (left < wait)
                    {
                        wait = (int)left;
                    }
                }

                // Woken by Exit, or after a short slice: with several waiters an AutoResetEvent wakes only one.
                _freed.WaitOne(wait, false);
            }
        }

        /// <summary>Gives back one take of the lock.</summary>
        /// <param name="owner">The owner that took it.</param>
        /// <exception cref="InvalidOperationException"><paramref name="owner"/> does not hold the lock (a bug).</exception>
        public void Exit(object owner)
        {
            lock (_sync)
            {
                if (owner == null || _owner != owner)
                {
                    throw new InvalidOperationException("The SE access lock was released by an owner that does not hold it.");
                }

                _depth--;
                if (_depth > 0)
                {
                    return;
                }

                _owner = null;
            }

            _freed.Set();
        }
    }
}
