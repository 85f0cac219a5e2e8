using System;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Relays tenants' scripts to the SE without holding their keys (docs/protocol.md §4-§6). Every check (tenant, size,
    /// counter, duplicate id, SELECT and channel rules) runs before the first byte reaches the SE; each step is persisted
    /// as "sending" before it is sent and as answered after, so <see cref="Recover"/> reports exactly what reached the SE.
    /// One request at a time (one SE); thread-safe. Everything is reported through <see cref="Listener"/>.
    /// </summary>
    public sealed class ScriptRelay
    {
        private readonly TenantRegistry _tenants;
        private readonly IRelayStore _store;
        private readonly IClock _clock;
        private readonly RelayOptions _options;
        private readonly SeLink _se;
        private readonly InteractiveSessions _sessions;
        private readonly BatchRun _batch;
        private readonly object _gate = new object();

        /// <summary>Creates a relay.</summary>
        /// <param name="tenants">The tenants served.</param>
        /// <param name="store">Counters, stored results and the in-flight trace.</param>
        /// <param name="transport">Carries APDUs to the SE; not owned.</param>
        /// <param name="clock">Time for the interactive idle timeout.</param>
        /// <param name="options">Limits; null for defaults.</param>
        /// <exception cref="ArgumentNullException">A required argument is null.</exception>
        public ScriptRelay(TenantRegistry tenants, IRelayStore store, IApduTransport transport, IClock clock, RelayOptions options)
        {
            if (tenants == null || store == null || transport == null || clock == null)
            {
                throw new ArgumentNullException(tenants == null ? "tenants" : store == null ? "store" : transport == null ? "transport" : "clock");
            }

            _tenants = tenants;
            _store = store;
            _clock = clock;
            _options = options ?? new RelayOptions();
            _se = new SeLink(transport, _options);
            _sessions = new InteractiveSessions(this, _se, store, clock, _options);
            _batch = new BatchRun(this, _se, store, _options);
        }

        /// <summary>Gets or sets who receives progress, results and APDU responses; null drops them.</summary>
        public IRelayListener Listener { get; set; }

        /// <summary>
        /// Reports every run a reboot interrupted: outcome <see cref="ScriptOutcome.Interrupted"/>, the answered steps,
        /// and the step that was sent without a recorded answer as <see cref="StepOutcome.SentUnknown"/>. The report is
        /// stored as the script's result, so a redelivered request is answered with it. Call once at start-up.
        /// </summary>
        /// <returns>The number of interrupted runs reported.</returns>
        public int Recover()
        {
            lock (_gate)
            {
                InFlightRun[] runs = _store.Runs();
                for (int i = 0; i < runs.Length; i++)
                {
                    ReportInterrupted(runs[i]);
                }

                return runs.Length;
            }
        }

        /// <summary>Handles a script request that came on a tenant's request topic.</summary>
        /// <param name="topicTenantId">The tenant of the topic.</param>
        /// <param name="request">The decoded request.</param>
        public void Submit(string topicTenantId, ScriptRequest request)
        {
            lock (_gate)
            {
                Tenant tenant = _tenants.Find(topicTenantId);
                RejectReason reason = Admit(tenant, topicTenantId, request);
                if (reason != RejectReason.None)
                {
                    Emit(topicTenantId, ScriptResult.Rejection(topicTenantId, request.ScriptId, request.Counter, reason));
                    return;
                }

                byte[] stored = _store.FindResult(tenant.Id, request.ScriptId);
                if (stored != null)
                {
                    // At-least-once delivery: the same script id is answered with its stored result, the SE sees nothing.
                    Emit(tenant.Id, ReportMessageCodec.DecodeResult(stored));
                    return;
                }

                if (_sessions.AnswerAgain(tenant, request.ScriptId))
                {
                    // At-least-once delivery: the request that opened this tenant's session, re-sent; its opening answer again.
                    return;
                }

                reason = Check(tenant, request);
                if (reason != RejectReason.None)
                {
                    Emit(tenant.Id, ScriptResult.Rejection(tenant.Id, request.ScriptId, request.Counter, reason));
                    return;
                }

                // A trace left by a run that died without a reboot (a bug past the relay) is reported before it is replaced.
                InFlightRun[] stale = _store.Runs();
                for (int i = 0; i < stale.Length; i++)
                {
                    if (stale[i].TenantId == tenant.Id)
                    {
                        ReportInterrupted(stale[i]);
                    }
                }

                // The trace goes first: a reboot between the two writes then still yields a report for this id.
                _store.BeginRun(new InFlightRun(tenant.Id, request.ScriptId, request.Counter, request.Steps.Length));
                _store.SetCounter(tenant.Id, request.Counter);
                if (request.Mode == ScriptMode.Interactive)
                {
                    _sessions.Open(tenant, request);
                }
                else
                {
                    _batch.Run(tenant, request);
                }
            }
        }

        /// <summary>Handles an interactive APDU that came on a tenant's request topic.</summary>
        /// <param name="topicTenantId">The tenant of the topic.</param>
        /// <param name="request">The decoded request.</param>
        public void Forward(string topicTenantId, ApduRequest request)
        {
            lock (_gate)
            {
                _sessions.Forward(_tenants.Find(topicTenantId), topicTenantId, request);
            }
        }

        /// <summary>Gets the number of interactive sessions open now (each holds its tenant's logical channel).</summary>
        public int OpenSessionCount
        {
            get
            {
                lock (_gate)
                {
                    return _sessions.Count;
                }
            }
        }

        /// <summary>Closes the interactive sessions idle for longer than the timeout; call periodically.</summary>
        /// <returns>The number of sessions closed.</returns>
        public int ExpireIdleSessions()
        {
            lock (_gate)
            {
                return _sessions.Expire();
            }
        }

        /// <summary>Reports a request that could not be decoded as rejected.</summary>
        /// <param name="topicTenantId">The tenant of the topic.</param>
        /// <param name="reason">Why.</param>
        public void Reject(string topicTenantId, RejectReason reason)
        {
            Emit(topicTenantId, ScriptResult.Rejection(topicTenantId, null, 0, reason));
        }

        internal static bool SameId(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        internal static bool IsLinkFault(Exception e)
        {
            // The documented failures of the APDU and block-protocol layers: the SE may or may not have run the command.
            return e is ApduException || e is BlockProtocolException;
        }

        /// <summary>Stores the final result, ends the trace and reports it (in that order: see docs/protocol.md §6).</summary>
        internal void Finish(Tenant tenant, ScriptResult result)
        {
            _store.SaveResult(tenant.Id, result.ScriptId, ReportMessageCodec.Encode(result));
            _store.EndRun(tenant.Id);
            Emit(tenant.Id, result);
        }

        internal void Emit(string tenantId, ScriptResult result)
        {
            IRelayListener listener = Listener;
            if (listener != null)
            {
                listener.OnResult(tenantId, result);
            }
        }

        internal void Emit(string tenantId, ApduResponse response)
        {
            IRelayListener listener = Listener;
            if (listener != null)
            {
                listener.OnApduResponse(tenantId, response);
            }
        }

        internal ScriptResult NewResult(Tenant tenant, ScriptRequest request, ScriptOutcome outcome)
        {
            ScriptResult result = new ScriptResult();
            result.TenantId = tenant.Id;
            result.ScriptId = request.ScriptId;
            result.Counter = request.Counter;
            result.Outcome = outcome;
            result.StepCount = request.Steps.Length;
            return result;
        }

        private RejectReason Admit(Tenant tenant, string topicTenantId, ScriptRequest request)
        {
            if (tenant == null)
            {
                return RejectReason.UnknownTenant;
            }

            return request.TenantId == tenant.Id ? RejectReason.None : RejectReason.TenantMismatch;
        }

        private RejectReason Check(Tenant tenant, ScriptRequest request)
        {
            if (request.EncodedLength > tenant.MaxScriptBytes)
            {
                return RejectReason.TooLarge;
            }

            if (!tenant.IsOwnSd(request.TargetAid, 0, request.TargetAid == null ? 0 : request.TargetAid.Length))
            {
                return RejectReason.TargetMismatch;
            }

            if (_sessions.IsOpen(tenant))
            {
                return RejectReason.Busy;
            }

            // Replay protection: the counter must be strictly greater than the last one accepted (persisted).
            if ((long)request.Counter <= _store.GetCounter(tenant.Id))
            {
                return RejectReason.ReplayedCounter;
            }

            for (int i = 0; i < request.Steps.Length; i++)
            {
                RejectReason reason = StepGuard.Check(tenant, request.Steps[i].Command, _options);
                if (reason != RejectReason.None)
                {
                    return reason;
                }
            }

            return RejectReason.None;
        }

        internal void ReportInterrupted(InFlightRun run)
        {
            if (_store.FindResult(run.TenantId, run.ScriptId) != null)
            {
                // The result was stored before the reboot; only the trace was left.
                _store.EndRun(run.TenantId);
                return;
            }

            if ((long)run.Counter > _store.GetCounter(run.TenantId))
            {
                _store.SetCounter(run.TenantId, run.Counter);
            }

            ScriptResult result = new ScriptResult();
            result.TenantId = run.TenantId;
            result.ScriptId = run.ScriptId;
            result.Counter = run.Counter;
            result.Outcome = ScriptOutcome.Interrupted;
            result.Steps = run.Report();
            result.StepCount = run.StepCount == 0 ? result.Steps.Length : run.StepCount;
            result.FailedStep = run.Sending >= 0 ? run.Sending : run.AnsweredCount;
            _store.SaveResult(run.TenantId, run.ScriptId, ReportMessageCodec.Encode(result));
            _store.EndRun(run.TenantId);
            _sessions.Drop(run.TenantId);
            Emit(run.TenantId, result);
        }
    }
}
