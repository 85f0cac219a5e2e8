using System;
using System.Collections;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Interactive mode (docs/protocol.md §5): one session per tenant on a logical channel of its own (a slot of the relay's
    /// <see cref="SlotPool"/>, given back when the session ends), one APDU per MQTT round trip, the same checks as a batch
    /// step, every APDU traced before and after it reaches the SE, and an idle timeout. Used under the relay's lock.
    /// </summary>
    internal sealed class InteractiveSessions
    {
        private readonly ScriptRelay _relay;
        private readonly SeLink _se;
        private readonly IRelayStore _store;
        private readonly IClock _clock;
        private readonly RelayOptions _options;
        private readonly ExternalAuthGuard _guard;
        private readonly Hashtable _open = new Hashtable();
        private readonly SlotPool _pool;

        public InteractiveSessions(ScriptRelay relay, SeLink se, IRelayStore store, IClock clock, RelayOptions options, ExternalAuthGuard guard, SlotPool pool)
        {
            _pool = pool;
            _guard = guard;
            _relay = relay;
            _se = se;
            _store = store;
            _clock = clock;
            _options = options;
        }

        public int Count
        {
            get { return _open.Count; }
        }

        public bool IsOpen(Tenant tenant)
        {
            return _open.Contains(tenant.Id);
        }

        /// <summary>Answers a re-sent session opening: when the tenant's open session has this id, its last answer goes out again.</summary>
        /// <returns>True when the request was that session's opening (answered); false otherwise.</returns>
        public bool AnswerAgain(Tenant tenant, byte[] scriptId)
        {
            RelaySession session = (RelaySession)_open[tenant.Id];
            if (session == null || !session.Matches(scriptId) || session.LastResponse == null)
            {
                return false;
            }

            session.LastActivity = _clock.Milliseconds;
            _relay.Emit(tenant.Id, session.LastResponse);
            return true;
        }

        /// <summary>Opens the session's channel, selects the SD and answers sequence 0 with the SELECT response.</summary>
        /// <returns>True when the session is open and holds the slot; false when it ended at once (the caller frees the slot).</returns>
        public bool Open(Tenant tenant, ScriptRequest request, int slot, int channel)
        {
            RelaySession session = new RelaySession(tenant, request, _clock.Milliseconds, slot, channel);
            ApduResponse response = new ApduResponse();
            response.ScriptId = request.ScriptId;
            ushort setup;
            try
            {
                int count;
                setup = _se.OpenAndSelect(tenant, channel, out count);
                response.Response = Copy(count);
            }
            catch (Exception e)
            {
                // No exception filter (support on the nanoFramework runtime is unconfirmed). Anything else is a bug or a power cut.
                if (!ScriptRelay.IsLinkFault(e))
                {
                    throw;
                }

                setup = 0x6F00;
            }

            if (!StatusWord.IsSuccess(setup))
            {
                ScriptResult result = _relay.NewResult(tenant, request, ScriptOutcome.SetupFailed);
                result.SetupSw = setup;
                _se.Close(tenant, channel);
                _relay.Finish(tenant, result);
                return false;
            }

            session.LastResponse = response;
            _open[tenant.Id] = session;
            _relay.Emit(tenant.Id, response);
            return true;
        }

        public void Forward(Tenant tenant, string topicTenantId, ApduRequest request)
        {
            RelaySession session = tenant == null ? null : (RelaySession)_open[tenant.Id];
            if (session != null && _clock.Milliseconds - session.LastActivity > _options.SessionIdleMilliseconds)
            {
                End(session, ScriptOutcome.IdleTimeout);
                session = null;
            }

            if (session == null || !session.Matches(request.ScriptId))
            {
                byte[] stored = tenant == null ? null : _store.FindResult(tenant.Id, request.ScriptId);
                if (stored != null)
                {
                    // At-least-once delivery: a request of a session that already ended (its end re-sent because the
                    // result was lost) is answered with the session's stored result, as a re-sent script is.
                    _relay.Emit(tenant.Id, ReportMessageCodec.DecodeResult(stored));
                    return;
                }

                Refuse(topicTenantId, request, tenant == null ? RejectReason.UnknownTenant : RejectReason.NoSession);
                return;
            }

            session.LastActivity = _clock.Milliseconds;
            if (request.Sequence == session.NextSequence - 1 && session.LastResponse != null)
            {
                // At-least-once delivery: a redelivered request is answered again, the SE sees nothing.
                _relay.Emit(tenant.Id, session.LastResponse);
                return;
            }

            if (request.Sequence != session.NextSequence)
            {
                Refuse(tenant.Id, request, RejectReason.Malformed);
                return;
            }

            ApduResponse response = new ApduResponse();
            response.ScriptId = request.ScriptId;
            response.Sequence = request.Sequence;
            if (request.Command != null)
            {
                RejectReason reason = StepGuard.CheckFor(tenant, request.Command, _options);
                if (reason == RejectReason.None && _guard.Withholds(tenant, request.Command))
                {
                    reason = RejectReason.AuthLockout;
                }

                if (reason != RejectReason.None)
                {
                    Refuse(tenant.Id, request, reason);
                    return;
                }

                int index = session.Steps.Count;
                try
                {
                    _store.MarkSending(tenant.Id, index);
                }
                catch (RelayStoreException e)
                {
                    // Nothing reaches the SE that the store could not trace first.
                    _relay.StoreFailed(e);
                    Refuse(tenant.Id, request, RejectReason.StorageError);
                    End(session, ScriptOutcome.StorageFailed, index);
                    return;
                }

                int count;
                try
                {
                    count = _se.Send(tenant, request.Command, session.Channel);
                }
                catch (Exception e)
                {
                    // No exception filter (support on the nanoFramework runtime is unconfirmed). Anything else is a bug or a power cut.
                    if (!ScriptRelay.IsLinkFault(e))
                    {
                        throw;
                    }

                    Remove(session);
                    _se.Close(session.Tenant, session.Channel);
                    ScriptResult broken = _relay.NewResult(tenant, session.Request, ScriptOutcome.Interrupted);
                    session.Steps.Add(new StepResult(index, StepOutcome.SentUnknown, 0, null));
                    broken.Steps = session.StepArray();
                    broken.StepCount = index + 1;
                    broken.FailedStep = index;
                    _relay.Finish(tenant, broken);
                    return;
                }

                StepResult step = new StepResult(index, StepOutcome.Passed, _se.Sw(count), null);
                session.Steps.Add(step);
                response.Response = Copy(count);
                try
                {
                    _store.MarkAnswered(tenant.Id, step);
                    _guard.Observe(tenant, request.Command, step.Sw);
                }
                catch (RelayStoreException e)
                {
                    // The SE ran it, so its answer goes to the tenant; the session ends before anything else runs untraced.
                    _relay.StoreFailed(e);
                    _relay.Emit(tenant.Id, response);
                    End(session, ScriptOutcome.StorageFailed, index);
                    return;
                }
            }
            else
            {
                response.Response = new byte[] { 0x90, 0x00 };
            }

            session.NextSequence++;
            session.LastResponse = response;
            _relay.Emit(tenant.Id, response);
            if (request.End)
            {
                End(session, ScriptOutcome.Completed);
            }
        }

        public int Expire()
        {
            ArrayList stale = new ArrayList();
            foreach (RelaySession session in _open.Values)
            {
                if (_clock.Milliseconds - session.LastActivity > _options.SessionIdleMilliseconds)
                {
                    stale.Add(session);
                }
            }

            for (int i = 0; i < stale.Count; i++)
            {
                End((RelaySession)stale[i], ScriptOutcome.IdleTimeout);
            }

            return stale.Count;
        }

        public void Drop(string tenantId)
        {
            RelaySession session = (RelaySession)_open[tenantId];
            if (session != null)
            {
                Remove(session);
            }
        }

        private void End(RelaySession session, ScriptOutcome outcome)
        {
            End(session, outcome, -1);
        }

        private void End(RelaySession session, ScriptOutcome outcome, int failedStep)
        {
            Remove(session);
            _se.Close(session.Tenant, session.Channel);
            ScriptResult result = _relay.NewResult(session.Tenant, session.Request, outcome);
            result.Steps = session.StepArray();
            result.StepCount = result.Steps.Length;
            result.FailedStep = failedStep;
            _relay.Finish(session.Tenant, result);
        }

        // The session gives its channel back; the relay hands it to the next waiting request once this request is done.
        private void Remove(RelaySession session)
        {
            _open.Remove(session.Tenant.Id);
            _pool.Release(session.Slot);
        }

        public void Refuse(string tenantId, ApduRequest request, RejectReason reason)
        {
            ApduResponse response = new ApduResponse();
            response.ScriptId = request.ScriptId;
            response.Sequence = request.Sequence;
            response.Reason = reason;
            _relay.Emit(tenantId, response);
        }

        private byte[] Copy(int count)
        {
            byte[] bytes = new byte[count];
            Array.Copy(_se.Response, 0, bytes, 0, count);
            return bytes;
        }
    }
}
