using System;
using NanoAgent.Agent.Messages;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// An <see cref="IRelayStore"/> kept on storage that survives a reboot (flash on the device): the same semantics as
    /// <see cref="InMemoryRelayStore"/>, and every change is durable before the call returns, so "sending i" is on flash
    /// before the APDU goes out and counters survive a reboot (docs/protocol.md §6). With a journal, each change appends one
    /// small record (<see cref="RelayJournalWriter"/>, about 15 bytes for a step without response data), and the whole state is written as a
    /// snapshot (<see cref="RelayStoreCodec"/>, atomic storage) only when the journal would pass its size limit, after a torn
    /// or failed append, and when no journal continues the snapshot: the cost of a step does not grow with the script
    /// (docs/longevity.md). Counters, results, the EXTERNAL AUTHENTICATE failures (docs/protocol.md §4.5) and the trace of
    /// each run in flight, with the response data its steps asked for (up to <see cref="MaxStepData"/> bytes a step), all
    /// survive a reboot. Storage handling is in <see cref="RelayStoreMedia"/>.
    /// Without a journal every change rewrites the snapshot. An unreadable snapshot or journal is a
    /// <see cref="RelayStoreException"/>, never a silent reset, because an empty store would accept replayed scripts. A failed
    /// write throws <see cref="RelayStoreException"/> (<see cref="RelayStoreError.WriteFailed"/>) and leaves this instance
    /// holding what the storage holds. Thread-safe.
    /// </summary>
    public sealed class DurableRelayStore : IRelayStore
    {
        /// <summary>The default journal size at which the store writes a snapshot and starts a new journal.</summary>
        public const int DefaultJournalLimit = 4096;

        /// <summary>The most response data kept per answered step (bytes): plenty for an INITIALIZE UPDATE answer (29 or
        /// 32 bytes) and keeps a step record small; a step with more data is kept with its SW only.</summary>
        public const int MaxStepData = 256;

        private readonly object _gate = new object();
        private readonly RelayJournalWriter _writer = new RelayJournalWriter();
        private readonly RelayStoreMedia _media;

        /// <summary>Opens a store without journal, keeping <see cref="InMemoryRelayStore.DefaultResultsPerTenant"/> results per tenant.</summary>
        /// <param name="storage">The record storage.</param>
        /// <exception cref="RelayStoreException">When the storage holds a record that cannot be read.</exception>
        public DurableRelayStore(IRecordStorage storage)
            : this(storage, InMemoryRelayStore.DefaultResultsPerTenant)
        {
        }

        /// <summary>Opens a store without journal: every change rewrites the whole record.</summary>
        /// <param name="storage">The record storage.</param>
        /// <param name="resultsPerTenant">How many results to keep per tenant (at least 1); older stored ones are dropped.</param>
        /// <exception cref="ArgumentNullException">When <paramref name="storage"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">When <paramref name="resultsPerTenant"/> is below 1.</exception>
        /// <exception cref="RelayStoreException">When the storage holds a record that cannot be read.</exception>
        public DurableRelayStore(IRecordStorage storage, int resultsPerTenant)
            : this(storage, null, resultsPerTenant, DefaultJournalLimit)
        {
        }

        /// <summary>Opens a store over a snapshot and a journal: loads the snapshot and replays the journal that continues it.</summary>
        /// <param name="snapshot">The atomic snapshot storage.</param>
        /// <param name="journal">The journal, or null to rewrite the snapshot on every change.</param>
        /// <param name="resultsPerTenant">How many results to keep per tenant (at least 1); older stored ones are dropped.</param>
        /// <param name="journalLimit">The journal size (bytes, at least 64) past which a snapshot is written and the journal restarts;
        /// the journal may grow to twice the last snapshot when that is larger.</param>
        /// <exception cref="ArgumentNullException">When <paramref name="snapshot"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">When <paramref name="resultsPerTenant"/> is below 1 or <paramref name="journalLimit"/> below 64.</exception>
        /// <exception cref="RelayStoreException">When the snapshot or the journal cannot be read.</exception>
        public DurableRelayStore(IRecordStorage snapshot, IJournalStorage journal, int resultsPerTenant, int journalLimit)
        {
            if (snapshot == null)
            {
                throw new ArgumentNullException("snapshot");
            }

            if (resultsPerTenant < 1)
            {
                throw new ArgumentOutOfRangeException("resultsPerTenant");
            }

            if (journalLimit < 64)
            {
                throw new ArgumentOutOfRangeException("journalLimit");
            }

            _media = new RelayStoreMedia(snapshot, journal, resultsPerTenant, journalLimit);
        }

        /// <summary>Gets how many writes this instance has made to its storages (snapshots, journal restarts and appends).</summary>
        public int Writes
        {
            get { return _media.Writes; }
        }

        /// <summary>Gets how many snapshots this instance has written.</summary>
        public int Snapshots
        {
            get { return _media.Snapshots; }
        }

        /// <inheritdoc />
        public ulong GetCounter(string tenantId)
        {
            return _media.Memory.GetCounter(tenantId);
        }

        /// <inheritdoc />
        public int GetAuthFailures(string tenantId)
        {
            return _media.Memory.GetAuthFailures(tenantId);
        }

        /// <inheritdoc />
        /// <exception cref="ArgumentOutOfRangeException">When <paramref name="failures"/> is negative (nothing is written).</exception>
        public void SetAuthFailures(string tenantId, int failures)
        {
            if (failures < 0)
            {
                throw new ArgumentOutOfRangeException("failures");
            }

            lock (_gate)
            {
                _media.CheckUsable();
                if (!_media.HasJournal)
                {
                    _media.Memory.SetAuthFailures(tenantId, failures);
                    _media.WriteSnapshot();
                    return;
                }

                _writer.AuthFailures(tenantId, failures);
                _media.Append(_writer);
                _media.Memory.SetAuthFailures(tenantId, failures);
            }
        }

        /// <inheritdoc />
        public void SetCounter(string tenantId, ulong counter)
        {
            lock (_gate)
            {
                _media.CheckUsable();
                if (!_media.HasJournal)
                {
                    _media.Memory.SetCounter(tenantId, counter);
                    _media.WriteSnapshot();
                    return;
                }

                _writer.Counter(tenantId, counter);
                _media.Append(_writer);
                _media.Memory.SetCounter(tenantId, counter);
            }
        }

        /// <inheritdoc />
        public byte[] FindResult(string tenantId, byte[] scriptId)
        {
            return _media.Memory.FindResult(tenantId, scriptId);
        }

        /// <inheritdoc />
        public void SaveResult(string tenantId, byte[] scriptId, byte[] encodedResult)
        {
            lock (_gate)
            {
                _media.CheckUsable();
                if (!_media.HasJournal)
                {
                    _media.Memory.SaveResult(tenantId, scriptId, encodedResult);
                    _media.WriteSnapshot();
                    return;
                }

                _writer.Result(tenantId, scriptId, encodedResult);
                _media.Append(_writer);
                _media.Memory.SaveResult(tenantId, scriptId, encodedResult);
            }
        }

        /// <inheritdoc />
        public void BeginRun(InFlightRun run)
        {
            lock (_gate)
            {
                _media.CheckUsable();
                if (!_media.HasJournal)
                {
                    _media.Memory.BeginRun(run);
                    _media.WriteSnapshot();
                    return;
                }

                _writer.Begin(run);
                _media.Append(_writer);
                _media.Memory.BeginRun(run);
            }
        }

        /// <inheritdoc />
        public void MarkSending(string tenantId, int index)
        {
            lock (_gate)
            {
                if (!_media.Memory.InFlight.Contains(tenantId))
                {
                    return;
                }

                _media.CheckUsable();
                if (!_media.HasJournal)
                {
                    _media.Memory.MarkSending(tenantId, index);
                    _media.WriteSnapshot();
                    return;
                }

                _writer.Sending(tenantId, index);
                _media.Append(_writer);
                _media.Memory.MarkSending(tenantId, index);
            }
        }

        /// <inheritdoc />
        /// <remarks>The response data is kept up to <see cref="MaxStepData"/> bytes; a step with longer data is kept with its
        /// SW only (its data is then also dropped from <see cref="Runs"/>, which shows what a reboot would find).</remarks>
        public void MarkAnswered(string tenantId, StepResult result)
        {
            if (result.Data != null && result.Data.Length > MaxStepData)
            {
                result = new StepResult(result.Index, result.Outcome, result.Sw, null);
            }

            lock (_gate)
            {
                if (!_media.Memory.InFlight.Contains(tenantId))
                {
                    return;
                }

                _media.CheckUsable();
                if (!_media.HasJournal)
                {
                    _media.Memory.MarkAnswered(tenantId, result);
                    _media.WriteSnapshot();
                    return;
                }

                _writer.Answered(tenantId, result);
                _media.Append(_writer);
                _media.Memory.MarkAnswered(tenantId, result);
            }
        }

        /// <inheritdoc />
        public void EndRun(string tenantId)
        {
            lock (_gate)
            {
                if (!_media.Memory.InFlight.Contains(tenantId))
                {
                    return;
                }

                _media.CheckUsable();
                if (!_media.HasJournal)
                {
                    _media.Memory.EndRun(tenantId);
                    _media.WriteSnapshot();
                    return;
                }

                _writer.End(tenantId);
                _media.Append(_writer);
                _media.Memory.EndRun(tenantId);
            }
        }

        /// <inheritdoc />
        public InFlightRun[] Runs()
        {
            return _media.Memory.Runs();
        }
    }
}
