using System;
using System.Collections;
using NanoAgent.Agent.Messages;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// An <see cref="IRelayStore"/> in RAM: for tests, and for devices without persistent storage (a reboot then forgets
    /// counters, so a backend must not rely on replay protection across reboots of such a device). Thread-safe.
    /// </summary>
    public sealed class InMemoryRelayStore : IRelayStore
    {
        /// <summary>The default number of results kept per tenant.</summary>
        public const int DefaultResultsPerTenant = 16;

        private readonly Hashtable _counters;
        private readonly Hashtable _results;
        private readonly Hashtable _runs;
        private readonly Hashtable _authFailures;
        private readonly int _resultsPerTenant;
        private readonly object _gate = new object();

        /// <summary>Creates a store keeping <see cref="DefaultResultsPerTenant"/> results per tenant.</summary>
        public InMemoryRelayStore()
            : this(DefaultResultsPerTenant)
        {
        }

        /// <summary>Creates a store.</summary>
        /// <param name="resultsPerTenant">How many results to keep per tenant (at least 1).</param>
        /// <exception cref="ArgumentOutOfRangeException">When <paramref name="resultsPerTenant"/> is below 1.</exception>
        public InMemoryRelayStore(int resultsPerTenant)
            : this(resultsPerTenant, new Hashtable(), new Hashtable(), new Hashtable(), new Hashtable())
        {
        }

        /// <summary>Creates a store over tables loaded from storage (<see cref="DurableRelayStore"/>); results beyond the bound are dropped, oldest first.</summary>
        internal InMemoryRelayStore(int resultsPerTenant, Hashtable counters, Hashtable results, Hashtable runs, Hashtable authFailures)
        {
            if (resultsPerTenant < 1)
            {
                throw new ArgumentOutOfRangeException("resultsPerTenant");
            }

            _resultsPerTenant = resultsPerTenant;
            _counters = counters;
            _results = results;
            _runs = runs;
            _authFailures = authFailures;
            foreach (DictionaryEntry pair in _results)
            {
                Trim((ArrayList)pair.Value);
            }
        }

        /// <summary>Gets the lock guarding the tables; <see cref="DurableRelayStore"/> holds it across a change and its write-through.</summary>
        internal object Gate
        {
            get { return _gate; }
        }

        /// <summary>Gets the counters by tenant id (ulong values).</summary>
        internal Hashtable Counters
        {
            get { return _counters; }
        }

        /// <summary>Gets the stored results by tenant id (ArrayList of <see cref="StoredResultEntry"/>, oldest first).</summary>
        internal Hashtable Results
        {
            get { return _results; }
        }

        /// <summary>Gets the in-flight runs by tenant id.</summary>
        internal Hashtable InFlight
        {
            get { return _runs; }
        }

        /// <summary>Gets the consecutive EXTERNAL AUTHENTICATE failures by tenant id (int values, only tenants with a count above 0).</summary>
        internal Hashtable AuthFailures
        {
            get { return _authFailures; }
        }

        /// <inheritdoc />
        public ulong GetCounter(string tenantId)
        {
            lock (_gate)
            {
                object value = _counters[tenantId];
                return value == null ? 0 : (ulong)value;
            }
        }

        /// <inheritdoc />
        public void SetCounter(string tenantId, ulong counter)
        {
            lock (_gate)
            {
                _counters[tenantId] = counter;
            }
        }

        /// <inheritdoc />
        public int GetAuthFailures(string tenantId)
        {
            lock (_gate)
            {
                object value = _authFailures[tenantId];
                return value == null ? 0 : (int)value;
            }
        }

        /// <inheritdoc />
        public void SetAuthFailures(string tenantId, int failures)
        {
            lock (_gate)
            {
                if (failures == 0)
                {
                    _authFailures.Remove(tenantId);
                }
                else
                {
                    _authFailures[tenantId] = failures;
                }
            }
        }

        /// <inheritdoc />
        public byte[] FindResult(string tenantId, byte[] scriptId)
        {
            lock (_gate)
            {
                ArrayList list = (ArrayList)_results[tenantId];
                if (list == null)
                {
                    return null;
                }

                string key = KeyOf(scriptId);
                for (int i = 0; i < list.Count; i++)
                {
                    StoredResultEntry entry = (StoredResultEntry)list[i];
                    if (entry.Key == key)
                    {
                        return (byte[])entry.Result.Clone();
                    }
                }

                return null;
            }
        }

        /// <inheritdoc />
        public void SaveResult(string tenantId, byte[] scriptId, byte[] encodedResult)
        {
            lock (_gate)
            {
                ArrayList list = (ArrayList)_results[tenantId];
                if (list == null)
                {
                    list = new ArrayList();
                    _results[tenantId] = list;
                }

                string key = KeyOf(scriptId);
                for (int i = 0; i < list.Count; i++)
                {
                    if (((StoredResultEntry)list[i]).Key == key)
                    {
                        list.RemoveAt(i);
                        break;
                    }
                }

                list.Add(new StoredResultEntry(key, (byte[])scriptId.Clone(), (byte[])encodedResult.Clone()));
                Trim(list);
            }
        }

        /// <inheritdoc />
        public void BeginRun(InFlightRun run)
        {
            lock (_gate)
            {
                _runs[run.TenantId] = run;
            }
        }

        /// <inheritdoc />
        public void MarkSending(string tenantId, int index)
        {
            lock (_gate)
            {
                InFlightRun run = (InFlightRun)_runs[tenantId];
                if (run != null)
                {
                    run.MarkSending(index);
                }
            }
        }

        /// <inheritdoc />
        public void MarkAnswered(string tenantId, StepResult result)
        {
            lock (_gate)
            {
                InFlightRun run = (InFlightRun)_runs[tenantId];
                if (run != null)
                {
                    run.MarkAnswered(result);
                }
            }
        }

        /// <inheritdoc />
        public void EndRun(string tenantId)
        {
            lock (_gate)
            {
                _runs.Remove(tenantId);
            }
        }

        /// <inheritdoc />
        public InFlightRun[] Runs()
        {
            lock (_gate)
            {
                InFlightRun[] runs = new InFlightRun[_runs.Count];
                _runs.Values.CopyTo(runs, 0);
                return runs;
            }
        }

        /// <summary>Gets the table key of a script id (hex).</summary>
        internal static string KeyOf(byte[] scriptId)
        {
            char[] chars = new char[scriptId.Length * 2];
            const string digits = "0123456789ABCDEF";
            for (int i = 0; i < scriptId.Length; i++)
            {
                chars[2 * i] = digits[scriptId[i] >> 4];
                chars[(2 * i) + 1] = digits[scriptId[i] & 0x0F];
            }

            return new string(chars);
        }

        private void Trim(ArrayList list)
        {
            while (list.Count > _resultsPerTenant)
            {
                list.RemoveAt(0);
            }
        }
    }
}
