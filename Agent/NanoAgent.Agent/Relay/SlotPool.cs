using System;
using System.Collections;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// A fixed number of slots (the relay's logical channels; an SE's applet sessions) that sessions take and give back,
    /// and a first-in first-out queue of those waiting for one, each for a bounded time. It never blocks: the relay's one
    /// worker that would wait is also the one that delivers the message ending the session holding the slot, so waiting is
    /// a queue entry, not a thread. The owner calls <see cref="TryTake"/> for a newcomer, <see cref="Enqueue"/> when none is
    /// free, <see cref="Release"/> when a session ends, then <see cref="Grant"/> until it returns <see cref="NoSlot"/> (each
    /// grant hands the oldest waiter a slot) and, periodically, <see cref="TakeExpired"/> to refuse those that waited too
    /// long. A newcomer never overtakes a waiter. Slots are numbered 0 to <see cref="Size"/> - 1; the lowest free one is
    /// handed out. Thread-safe; allocates only when a waiter is queued.
    /// </summary>
    public sealed class SlotPool
    {
        /// <summary>What <see cref="TryTake"/> and <see cref="Grant"/> return when no slot is handed out.</summary>
        public const int NoSlot = -1;

        private readonly object[] _holders;
        private readonly ArrayList _waiting = new ArrayList();
        private readonly object _gate = new object();
        private int _free;

        /// <summary>Creates a pool with every slot free.</summary>
        /// <param name="size">The number of slots (at least 1).</param>
        /// <param name="maxWaiting">How many may wait at once (0: nobody waits, a newcomer without a free slot is refused).</param>
        /// <param name="maxWaitMilliseconds">How long one may wait before <see cref="TakeExpired"/> returns it (at least 0).</param>
        /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
        public SlotPool(int size, int maxWaiting, long maxWaitMilliseconds)
        {
            if (size < 1)
            {
                throw new ArgumentOutOfRangeException("size");
            }

            if (maxWaiting < 0)
            {
                throw new ArgumentOutOfRangeException("maxWaiting");
            }

            if (maxWaitMilliseconds < 0)
            {
                throw new ArgumentOutOfRangeException("maxWaitMilliseconds");
            }

            _holders = new object[size];
            _free = size;
            MaxWaiting = maxWaiting;
            MaxWaitMilliseconds = maxWaitMilliseconds;
        }

        /// <summary>Gets the number of slots.</summary>
        public int Size
        {
            get { return _holders.Length; }
        }

        /// <summary>Gets how many may wait at once.</summary>
        public int MaxWaiting { get; }

        /// <summary>Gets how long one may wait, in milliseconds.</summary>
        public long MaxWaitMilliseconds { get; }

        /// <summary>Gets the number of free slots.</summary>
        public int FreeCount
        {
            get
            {
                lock (_gate)
                {
                    return _free;
                }
            }
        }

        /// <summary>Gets the number waiting.</summary>
        public int WaitingCount
        {
            get
            {
                lock (_gate)
                {
                    return _waiting.Count;
                }
            }
        }

        /// <summary>Returns who holds a slot.</summary>
        /// <param name="slot">The slot.</param>
        /// <returns>The holder given to <see cref="TryTake"/> or <see cref="Enqueue"/>, or null when the slot is free.</returns>
        /// <exception cref="ArgumentOutOfRangeException">No such slot.</exception>
        public object HolderOf(int slot)
        {
            lock (_gate)
            {
                CheckSlot(slot);
                return _holders[slot];
            }
        }

        /// <summary>Hands a newcomer the lowest free slot, unless none is free or someone already waits (first come, first served).</summary>
        /// <param name="holder">Who takes it (not null).</param>
        /// <returns>The slot, or <see cref="NoSlot"/>: then <see cref="Enqueue"/> it or refuse it.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="holder"/> is null.</exception>
        public int TryTake(object holder)
        {
            if (holder == null)
            {
                throw new ArgumentNullException("holder");
            }

            lock (_gate)
            {
                return _waiting.Count > 0 ? NoSlot : TakeFree(holder);
            }
        }

        /// <summary>Queues a waiter behind those already waiting.</summary>
        /// <param name="waiter">The waiter (not null); <see cref="Grant"/> or <see cref="TakeExpired"/> returns it.</param>
        /// <param name="now">The time, in milliseconds of the caller's clock.</param>
        /// <returns>True when queued; false when <see cref="MaxWaiting"/> wait already (refuse it at once).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="waiter"/> is null.</exception>
        public bool Enqueue(object waiter, long now)
        {
            if (waiter == null)
            {
                throw new ArgumentNullException("waiter");
            }

            lock (_gate)
            {
                if (_waiting.Count >= MaxWaiting)
                {
                    return false;
                }

                _waiting.Add(new Waiter(waiter, now));
                return true;
            }
        }

        /// <summary>Returns whether a waiter equal to this one (<see cref="object.Equals(object)"/>) is queued.</summary>
        /// <param name="waiter">The waiter to look for.</param>
        /// <returns>True when it waits.</returns>
        public bool IsWaiting(object waiter)
        {
            lock (_gate)
            {
                return IndexOf(waiter) >= 0;
            }
        }

        /// <summary>Takes a waiter out of the queue without a slot.</summary>
        /// <param name="waiter">The waiter (matched with <see cref="object.Equals(object)"/>).</param>
        /// <returns>True when it was waiting.</returns>
        public bool Cancel(object waiter)
        {
            lock (_gate)
            {
                int index = IndexOf(waiter);
                if (index < 0)
                {
                    return false;
                }

                _waiting.RemoveAt(index);
                return true;
            }
        }

        /// <summary>Gives a slot back.</summary>
        /// <param name="slot">A slot taken with <see cref="TryTake"/> or <see cref="Grant"/>.</param>
        /// <exception cref="ArgumentOutOfRangeException">No such slot.</exception>
        /// <exception cref="InvalidOperationException">The slot is free (a bug of the caller: released twice).</exception>
        public void Release(int slot)
        {
            lock (_gate)
            {
                CheckSlot(slot);
                if (_holders[slot] == null)
                {
                    throw new InvalidOperationException("Slot " + slot + " is not held.");
                }

                _holders[slot] = null;
                _free++;
            }
        }

        /// <summary>Hands the longest-waiting waiter the lowest free slot, when there are both.</summary>
        /// <param name="waiter">The waiter served, or null.</param>
        /// <returns>The slot it now holds, or <see cref="NoSlot"/> when nobody waits or no slot is free.</returns>
        public int Grant(out object waiter)
        {
            lock (_gate)
            {
                waiter = null;
                if (_waiting.Count == 0 || _free == 0)
                {
                    return NoSlot;
                }

                waiter = ((Waiter)_waiting[0]).Value;
                _waiting.RemoveAt(0);
                return TakeFree(waiter);
            }
        }

        /// <summary>Takes out the longest-waiting waiter when it has waited <see cref="MaxWaitMilliseconds"/> or longer.</summary>
        /// <param name="now">The time, in milliseconds of the clock given to <see cref="Enqueue"/>.</param>
        /// <returns>The waiter, to be refused; null when nobody waited that long. Call again until null.</returns>
        public object TakeExpired(long now)
        {
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    return null;
                }

                Waiter first = (Waiter)_waiting[0];
                if (now - first.Since < MaxWaitMilliseconds)
                {
                    return null;
                }

                _waiting.RemoveAt(0);
                return first.Value;
            }
        }

        private int TakeFree(object holder)
        {
            for (int i = 0; i < _holders.Length; i++)
            {
                if (_holders[i] == null)
                {
                    _holders[i] = holder;
                    _free--;
                    return i;
                }
            }

            return NoSlot;
        }

        private int IndexOf(object waiter)
        {
            for (int i = 0; i < _waiting.Count; i++)
            {
                if (((Waiter)_waiting[i]).Value.Equals(waiter))
                {
                    return i;
                }
            }

            return -1;
        }

        private void CheckSlot(int slot)
        {
            if (slot < 0 || slot >= _holders.Length)
            {
                throw new ArgumentOutOfRangeException("slot");
            }
        }

        private sealed class Waiter
        {
            public Waiter(object value, long since)
            {
                Value = value;
                Since = since;
            }

            public object Value { get; }

            public long Since { get; }
        }
    }
}
