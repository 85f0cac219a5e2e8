using System;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Security;
using NanoAgent.Agent.Se05x;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Relays tenants' scripts to the SE without holding their keys (docs/protocol.md §4-§6). Every request is first
    /// authenticated by the tenant's request key, verified in the SE through an <see cref="IRequestVerifier"/>, before
    /// anything is looked up or stored; every other check (duplicate id, size, counter and its window, SELECT and channel
    /// rules, the EXTERNAL AUTHENTICATE guard) runs before the first byte of a step reaches the SE; each step is persisted
    /// as "sending" before it is sent and as answered after, so <see cref="Recover"/> reports exactly what reached the SE.
    /// Each session (batch run or interactive session) runs on a logical channel of its own taken from
    /// <see cref="RelayOptions.SessionChannels"/>, which the relay puts into every step's class byte; when all are held,
    /// sessions wait first come, first served, for a bounded time (<see cref="SessionStarter"/>, docs/protocol.md §4.3).
    /// One request at a time (one SE); thread-safe. Everything is reported through <see cref="Listener"/>.
    /// A store write that fails (<see cref="RelayStoreException"/>) stops the request before the SE sees anything the store
    /// could not trace: the tenant is answered "storage error" (docs/protocol.md §3.8) and the failure is counted in
    /// <see cref="StoreFailures"/>; the store itself keeps memory equal to what it holds durably.
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
        private readonly RequestAdmission _admission;
        private readonly SessionStarter _starter;
        private readonly ExternalAuthGuard _guard;
        private readonly object _gate = new object();
        private int _storeFailures;
        private string _lastStoreFault;
        private SecurityLog _security;

        /// <summary>Creates a relay.</summary>
        /// <param name="tenants">The tenants served.</param>
        /// <param name="store">Counters, stored results and the in-flight trace.</param>
        /// <param name="transport">Carries APDUs to the SE; not owned.</param>
        /// <param name="clock">Time for the interactive idle timeout.</param>
        /// <param name="options">Limits; null for defaults.</param>
        /// <param name="verifier">Checks each request's authenticator (the agent's: <see cref="SeRequestVerifier"/>).</param>
        /// <exception cref="ArgumentNullException">A required argument is null.</exception>
        /// <exception cref="ArgumentException">The options name no session channel, a channel twice or one above 19.</exception>
        public ScriptRelay(TenantRegistry tenants, IRelayStore store, IApduTransport transport, IClock clock, RelayOptions options, IRequestVerifier verifier)
            : this(tenants, store, transport, clock, options, verifier, null)
        {
        }

        /// <summary>Creates a relay that shares its SE05x applet link with the agent's gates and verifier.</summary>
        /// <param name="tenants">The tenants served.</param>
        /// <param name="store">Counters, stored results and the in-flight trace.</param>
        /// <param name="transport">Carries APDUs to the SE; not owned.</param>
        /// <param name="clock">Time for the interactive idle timeout.</param>
        /// <param name="options">Limits; null for defaults.</param>
        /// <param name="verifier">Checks each request's authenticator.</param>
        /// <param name="applet">The link to the SE05x IoT applet SE05x tenants' sessions run on (docs/protocol.md §4.6); null: one of
        /// the relay's own over <paramref name="transport"/>.</param>
        /// <exception cref="ArgumentNullException">A required argument is null.</exception>
        public ScriptRelay(TenantRegistry tenants, IRelayStore store, IApduTransport transport, IClock clock, RelayOptions options, IRequestVerifier verifier, Se05xApplet applet)
        {
            if (tenants == null || store == null || transport == null || clock == null || verifier == null)
            {
                throw new ArgumentNullException(tenants == null ? "tenants" : store == null ? "store" : transport == null ? "transport" : clock == null ? "clock" : "verifier");
            }

            _tenants = tenants;
            _store = store;
            _clock = clock;
            _options = options ?? new RelayOptions();
            int[] channels = applet != null ? Se05xSlots(_options) : CheckedChannels(_options.SessionChannels);
            _se = new SeLink(transport, _options, applet);
            ExternalAuthGuard guard = new ExternalAuthGuard(store, _options);
            _guard = guard;
            SlotPool pool = new SlotPool(channels.Length, _options.MaxWaitingRequests, _options.ChannelWaitMilliseconds);
            _sessions = new InteractiveSessions(this, _se, store, clock, _options, guard, pool);
            _batch = new BatchRun(this, _se, store, _options, guard);
            _admission = new RequestAdmission(tenants, store, _options, _sessions, guard, verifier);
            _starter = new SessionStarter(this, tenants, store, clock, pool, channels, _admission, guard, _sessions, _batch);
        }

        /// <summary>Gets the number of store writes that failed since the relay was created (each answered "storage error").</summary>
        public int StoreFailures
        {
            get
            {
                lock (_gate)
                {
                    return _storeFailures;
                }
            }
        }

        /// <summary>Gets the message of the last failed store write, or null when none failed.</summary>
        public string LastStoreFault
        {
            get
            {
                lock (_gate)
                {
                    return _lastStoreFault;
                }
            }
        }

        /// <summary>Gets or sets who receives progress, results and APDU responses; null drops them.</summary>
        public IRelayListener Listener { get; set; }

        /// <summary>Gets or sets where refused requests and EXTERNAL AUTHENTICATE guard events are logged, rate-limited
        /// (docs/threat-model.md, "Security events"); null logs none.</summary>
        public SecurityLog SecurityLog
        {
            get
            {
                return _security;
            }

            set
            {
                _security = value;
                _guard.Security = value;
            }
        }

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
                RejectReason reason = _admission.Admit(tenant, topicTenantId, request);
                if (reason == RejectReason.None)
                {
                    // Size first: a request over the limit is not streamed to the SE for verification.
                    reason = request.EncodedLength > tenant.MaxScriptBytes ? RejectReason.TooLarge
                        : _admission.Authenticate(tenant, request.Payload, request.SignedLength, request.Authenticator);
                }

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

                if (_starter.IsWaiting(tenant.Id, request.ScriptId))
                {
                    // At-least-once delivery: re-sent while it waits for a channel; it is answered when it runs.
                    return;
                }

                reason = _admission.Check(tenant, request);
                if (reason != RejectReason.None)
                {
                    Emit(tenant.Id, ScriptResult.Rejection(tenant.Id, request.ScriptId, request.Counter, reason));
                    return;
                }

                _starter.Launch(tenant, request);
                _starter.ServeWaiting();
            }
        }

        /// <summary>Handles an interactive APDU that came on a tenant's request topic.</summary>
        /// <param name="topicTenantId">The tenant of the topic.</param>
        /// <param name="request">The decoded request.</param>
        public void Forward(string topicTenantId, ApduRequest request)
        {
            lock (_gate)
            {
                Tenant tenant = _tenants.Find(topicTenantId);
                RejectReason reason = tenant == null ? RejectReason.None : _admission.Authenticate(tenant, request.Payload, request.SignedLength, request.Authenticator);
                if (reason != RejectReason.None)
                {
                    _sessions.Refuse(tenant.Id, request, reason);
                    return;
                }

                _sessions.Forward(tenant, topicTenantId, request);
                _starter.ServeWaiting();
            }
        }

        /// <summary>Gets the number of requests waiting for a free logical channel (docs/protocol.md §4.3).</summary>
        public int WaitingCount
        {
            get
            {
                lock (_gate)
                {
                    return _starter.WaitingCount;
                }
            }
        }

        /// <summary>Gets the number of interactive sessions open now (each holds a logical channel of its own).</summary>
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

        /// <summary>
        /// Closes the interactive sessions idle for longer than the timeout, hands their channels to waiting requests, and
        /// refuses the requests that waited for a channel longer than <see cref="RelayOptions.ChannelWaitMilliseconds"/>
        /// ("no free channel"); call periodically.
        /// </summary>
        /// <returns>The number of sessions closed.</returns>
        public int ExpireIdleSessions()
        {
            lock (_gate)
            {
                int closed = _sessions.Expire();
                _starter.ServeWaiting();
                _starter.ExpireWaiting();
                return closed;
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

        /// <summary>
        /// Stores the final result, ends the trace and reports it (in that order: see docs/protocol.md §6). When the store
        /// fails, the result is still reported once and the trace stays, so the next start reports the run from it.
        /// </summary>
        internal void Finish(Tenant tenant, ScriptResult result)
        {
            try
            {
                _store.SaveResult(tenant.Id, result.ScriptId, ReportMessageCodec.Encode(result));
                _store.EndRun(tenant.Id);
            }
            catch (RelayStoreException e)
            {
                StoreFailed(e);
            }

            Emit(tenant.Id, result);
        }

        /// <summary>Counts a failed store write; the caller answers the tenant "storage error" and stops the request.</summary>
        internal void StoreFailed(RelayStoreException e)
        {
            _storeFailures++;
            _lastStoreFault = e.Message;
        }

        internal void Emit(string tenantId, ScriptResult result)
        {
            SecurityLog security = _security;
            if (security != null && result.Outcome == ScriptOutcome.Rejected)
            {
                security.Report(SecurityEventKind.Request, tenantId, "script", result.ScriptId, RejectReasonText.Of(result.Reason));
            }

            IRelayListener listener = Listener;
            if (listener != null)
            {
                listener.OnResult(tenantId, result);
            }
        }

        internal void Emit(string tenantId, ApduResponse response)
        {
            SecurityLog security = _security;
            if (security != null && response.Reason != RejectReason.None)
            {
                security.Report(SecurityEventKind.Request, tenantId, "apdu", response.ScriptId, RejectReasonText.Of(response.Reason));
            }

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

        /// <summary>Reports an interrupted run and stores its report; returns false when the store failed (the trace stays).</summary>
        internal bool ReportInterrupted(InFlightRun run)
        {
            if (_store.FindResult(run.TenantId, run.ScriptId) != null)
            {
                // The result was stored before the reboot; only the trace was left.
                try
                {
                    _store.EndRun(run.TenantId);
                    return true;
                }
                catch (RelayStoreException e)
                {
                    StoreFailed(e);
                    return false;
                }
            }

            ScriptResult result = new ScriptResult();
            result.TenantId = run.TenantId;
            result.ScriptId = run.ScriptId;
            result.Counter = run.Counter;
            result.Outcome = ScriptOutcome.Interrupted;
            result.Steps = run.Report();
            result.StepCount = run.StepCount == 0 ? result.Steps.Length : run.StepCount;
            result.FailedStep = run.Sending >= 0 ? run.Sending : run.AnsweredCount;
            bool stored = true;
            try
            {
                if (run.Counter > _store.GetCounter(run.TenantId))
                {
                    _store.SetCounter(run.TenantId, run.Counter);
                }

                _store.SaveResult(run.TenantId, run.ScriptId, ReportMessageCodec.Encode(result));
                _store.EndRun(run.TenantId);
            }
            catch (RelayStoreException e)
            {
                // The trace stays: a later request or start reports the run again from it.
                StoreFailed(e);
                stored = false;
            }

            _sessions.Drop(run.TenantId);
            Emit(run.TenantId, result);
            return stored;
        }

        // docs/protocol.md §4.6: on an SE05x the slots are the applet's sessions (on the basic channel, which the applet
        // alone uses), not logical channels.
        private static int[] Se05xSlots(RelayOptions options)
        {
            if (options.Se05xSessions < 1)
            {
                throw new ArgumentException("The relay needs at least one SE05x applet session.", "options");
            }

            return new int[options.Se05xSessions];
        }

        private static int[] CheckedChannels(int[] channels)
        {
            if (channels == null || channels.Length == 0)
            {
                throw new ArgumentException("The relay needs at least one session channel.", "options");
            }

            for (int i = 0; i < channels.Length; i++)
            {
                if (channels[i] < 0 || channels[i] > LogicalChannel.MaxChannel)
                {
                    throw new ArgumentException("A session channel is 0 to 19.", "options");
                }

                for (int j = 0; j < i; j++)
                {
                    if (channels[j] == channels[i])
                    {
                        throw new ArgumentException("Session channel " + channels[i] + " is named twice.", "options");
                    }
                }
            }

            return (int[])channels.Clone();
        }
    }
}
