using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Starts the requests that passed every check (docs/protocol.md §4.1) on a logical channel of their own, taken from the
    /// relay's <see cref="SlotPool"/> of session channels (§4.3): at once when one is free and nobody waits, else after the
    /// requests queued before it (first come, first served), or refused "no free channel" when the queue is full or the
    /// wait passed <see cref="RelayOptions.ChannelWaitMilliseconds"/>. A waiting request holds nothing: no counter, no
    /// trace, no channel; it is checked again when its turn comes. A batch gives its channel back when it ends, an
    /// interactive session when it closes. Used under the relay's lock.
    /// </summary>
    internal sealed class SessionStarter
    {
        private readonly ScriptRelay _relay;
        private readonly TenantRegistry _tenants;
        private readonly IRelayStore _store;
        private readonly IClock _clock;
        private readonly SlotPool _pool;
        private readonly int[] _channels;
        private readonly RequestAdmission _admission;
        private readonly ExternalAuthGuard _guard;
        private readonly InteractiveSessions _sessions;
        private readonly BatchRun _batch;

        public SessionStarter(ScriptRelay relay, TenantRegistry tenants, IRelayStore store, IClock clock, SlotPool pool, int[] channels,
            RequestAdmission admission, ExternalAuthGuard guard, InteractiveSessions sessions, BatchRun batch)
        {
            _relay = relay;
            _tenants = tenants;
            _store = store;
            _clock = clock;
            _pool = pool;
            _channels = channels;
            _admission = admission;
            _guard = guard;
            _sessions = sessions;
            _batch = batch;
        }

        public int WaitingCount
        {
            get { return _pool.WaitingCount; }
        }

        /// <summary>Returns whether this very request (tenant and script id) waits for a channel: a re-send is then ignored,
        /// since the request is answered when it runs.</summary>
        public bool IsWaiting(string tenantId, byte[] scriptId)
        {
            ScriptRequest probe = new ScriptRequest();
            probe.ScriptId = scriptId;
            return _pool.IsWaiting(new PendingRequest(tenantId, probe));
        }

        /// <summary>Runs a checked request on a free channel, or queues it, or refuses it when the queue is full.</summary>
        public void Launch(Tenant tenant, ScriptRequest request)
        {
            PendingRequest pending = new PendingRequest(tenant.Id, request);
            int slot = _pool.TryTake(pending);
            if (slot != SlotPool.NoSlot)
            {
                Start(tenant, request, slot);
            }
            else if (!_pool.Enqueue(pending, _clock.Milliseconds))
            {
                Refuse(pending, RejectReason.NoFreeChannel);
            }
        }

        /// <summary>Hands freed channels to the waiting requests in arrival order, checking each again first.</summary>
        public void ServeWaiting()
        {
            object waiter;
            int slot;
            while ((slot = _pool.Grant(out waiter)) != SlotPool.NoSlot)
            {
                PendingRequest pending = (PendingRequest)waiter;
                Tenant tenant = _tenants.Find(pending.TenantId);
                RejectReason reason = tenant == null ? RejectReason.UnknownTenant : _admission.Check(tenant, pending.Request);
                if (reason != RejectReason.None)
                {
                    _pool.Release(slot);
                    Refuse(pending, reason);
                    continue;
                }

                Start(tenant, pending.Request, slot);
            }
        }

        /// <summary>Refuses every request that waited longer than the relay's wait; returns how many.</summary>
        public int ExpireWaiting()
        {
            int expired = 0;
            object waiter;
            while ((waiter = _pool.TakeExpired(_clock.Milliseconds)) != null)
            {
                Refuse((PendingRequest)waiter, RejectReason.NoFreeChannel);
                expired++;
            }

            return expired;
        }

        private void Refuse(PendingRequest pending, RejectReason reason)
        {
            ScriptRequest request = pending.Request;
            _relay.Emit(pending.TenantId, ScriptResult.Rejection(pending.TenantId, request.ScriptId, request.Counter, reason));
        }

        // The request holds the slot from here: every path gives it back, except an interactive session that opened.
        private void Start(Tenant tenant, ScriptRequest request, int slot)
        {
            // A trace left by a run that died without a reboot (a bug past the relay) is reported before it is replaced.
            InFlightRun[] stale = _store.Runs();
            for (int i = 0; i < stale.Length; i++)
            {
                if (stale[i].TenantId == tenant.Id && !_relay.ReportInterrupted(stale[i]))
                {
                    _pool.Release(slot);
                    Refuse(new PendingRequest(tenant.Id, request), RejectReason.StorageError);
                    return;
                }
            }

            byte[] stored = _store.FindResult(tenant.Id, request.ScriptId);
            if (stored != null)
            {
                // The stale trace was this very script (its earlier report could not be stored): answer with it.
                _pool.Release(slot);
                _relay.Emit(tenant.Id, ReportMessageCodec.DecodeResult(stored));
                return;
            }

            if (!ResetGuard(tenant, request) || !Begin(tenant, request))
            {
                _pool.Release(slot);
                Refuse(new PendingRequest(tenant.Id, request), RejectReason.StorageError);
                return;
            }

            int channel = _channels[slot];
            if (request.Mode == ScriptMode.Interactive)
            {
                if (!_sessions.Open(tenant, request, slot, channel))
                {
                    _pool.Release(slot);
                }

                return;
            }

            try
            {
                _batch.Run(tenant, request, channel);
            }
            finally
            {
                _pool.Release(slot);
            }
        }

        // An authenticated request may reset the EXTERNAL AUTHENTICATE guard (its own, or as the owner another tenant's,
        // §4.5); that happens before the trace so a failed write consumes nothing.
        private bool ResetGuard(Tenant tenant, ScriptRequest request)
        {
            try
            {
                if (request.ResetAuthGuard)
                {
                    _guard.Reset(tenant);
                }

                if (request.ResetAuthGuardOf != null)
                {
                    _guard.Reset(_tenants.Find(request.ResetAuthGuardOf));
                }

                return true;
            }
            catch (RelayStoreException e)
            {
                _relay.StoreFailed(e);
                return false;
            }
        }

        // The trace goes first: a reboot between the two writes then still yields a report for this id. Nothing reached the
        // SE yet, so a failed write only has to leave no trace behind (best effort: a trace left is reported as interrupted
        // with no step sent, which is true).
        private bool Begin(Tenant tenant, ScriptRequest request)
        {
            try
            {
                _store.BeginRun(new InFlightRun(tenant.Id, request.ScriptId, request.Counter, request.Steps.Length));
            }
            catch (RelayStoreException e)
            {
                _relay.StoreFailed(e);
                return false;
            }

            try
            {
                _store.SetCounter(tenant.Id, request.Counter);
                return true;
            }
            catch (RelayStoreException e)
            {
                _relay.StoreFailed(e);
                try
                {
                    _store.EndRun(tenant.Id);
                }
                catch (RelayStoreException)
                {
                    // Counted once above; the trace left says "nothing sent".
                }

                return false;
            }
        }
    }
}
