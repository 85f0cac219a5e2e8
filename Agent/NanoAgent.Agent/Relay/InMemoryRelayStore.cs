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

        private readonly Hashtable _counters = new Hashtable();
        private readonly Hashtable _results = new Hashtable();
        private readonly Hashtable _runs = new Hashtable();
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
        {
            if (resultsPerTenant < 1)
            {
                throw new ArgumentOutOfRangeException("resultsPerTenant");
            }

            _resultsPerTenant = resultsPerTenant;
        }

        /// <inheritdoc />
        public long GetCounter(string tenantId)
        {
            lock (_gate)
            {
                object value = _counters[tenantId];
                return value == null ? -1 : (long)(uint)value;
            }
        }

        /// <inheritdoc />
        public void SetCounter(string tenantId, uint counter)
        {
            lock (_gate)
            {
                _counters[tenantId] = counter;
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
                    Entry entry = (Entry)list[i];
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
                    if (((Entry)list[i]).Key == key)
                    {
                        list.RemoveAt(i);
                        break;
                    }
                }

                list.Add(new Entry(key, (byte[])encodedResult.Clone()));
                while (list.Count > _resultsPerTenant)
                {
                    list.RemoveAt(0);
                }
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

        private static string KeyOf(byte[] scriptId)
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

        private sealed class Entry
        {
            public Entry(string key, byte[] result)
            {
                Key = key;
                Result = result;
            }

            public string Key { get; }

            public byte[] Result { get; }
        }
    }
}
