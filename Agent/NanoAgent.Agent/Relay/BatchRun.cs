using System;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Runs one checked batch script (docs/protocol.md §4.4) on the channel the relay gave it: channel and SELECT, then each
    /// step put on that channel and traced as "sending" before and "answered" after it reaches the SE, SW expectations,
    /// progress, and the final result. An INITIALIZE UPDATE the EXTERNAL AUTHENTICATE guard withholds by then (an earlier
    /// step of the same script used up the last attempt, §4.5) stops the script before it is sent. Used under the relay's lock.
    /// </summary>
    internal sealed class BatchRun
    {
        private readonly ScriptRelay _relay;
        private readonly SeLink _se;
        private readonly IRelayStore _store;
        private readonly RelayOptions _options;
        private readonly ExternalAuthGuard _guard;

        public BatchRun(ScriptRelay relay, SeLink se, IRelayStore store, RelayOptions options, ExternalAuthGuard guard)
        {
            _guard = guard;
            _relay = relay;
            _se = se;
            _store = store;
            _options = options;
        }

        public void Run(Tenant tenant, ScriptRequest request, int channel)
        {
            ScriptStep[] steps = request.Steps;
            StepResult[] done = new StepResult[steps.Length];
            int count = 0;
            ScriptResult result = _relay.NewResult(tenant, request, ScriptOutcome.Completed);
            int every = request.ProgressEvery > 0 ? request.ProgressEvery : _options.ProgressEvery;
            try
            {
                int selectCount;
                ushort setup = _se.OpenAndSelect(tenant, channel, out selectCount);
                if (!StatusWord.IsSuccess(setup))
                {
                    result.Outcome = ScriptOutcome.SetupFailed;
                    result.SetupSw = setup;
                    _se.Close(tenant, channel);
                    _relay.Finish(tenant, result);
                    return;
                }

                for (int i = 0; i < steps.Length; i++)
                {
                    if (_guard.Withholds(tenant, steps[i].Command))
                    {
                        // Checked before the run too; here an earlier EXTERNAL AUTHENTICATE of this script failed.
                        result.Outcome = ScriptOutcome.Failed;
                        result.FailedStep = i;
                        break;
                    }

                    if (!Trace(tenant, i, null))
                    {
                        // Nothing reaches the SE that the store could not trace first.
                        result.Outcome = ScriptOutcome.StorageFailed;
                        result.FailedStep = i;
                        break;
                    }

                    int n = _se.Send(tenant, steps[i].Command, channel);
                    ushort sw = _se.Sw(n);
                    bool passed = steps[i].Accepts(sw);
                    byte[] data = null;
                    if (steps[i].ReturnData)
                    {
                        data = new byte[n - 2];
                        Array.Copy(_se.Response, 0, data, 0, n - 2);
                    }

                    StepResult step = new StepResult(i, passed ? StepOutcome.Passed : StepOutcome.SwMismatch, sw, data);
                    done[count++] = step;
                    if (!Trace(tenant, i, step) || !Observe(tenant, steps[i].Command, sw))
                    {
                        // The step ran and its answer goes to the tenant, but no further step runs untraced.
                        result.Outcome = ScriptOutcome.StorageFailed;
                        result.FailedStep = i;
                        break;
                    }

                    if ((i + 1) % every == 0 || (!passed && !steps[i].ContinueOnFail))
                    {
                        Progress(tenant, request, i + 1, sw);
                    }

                    if (!passed && !steps[i].ContinueOnFail)
                    {
                        result.Outcome = ScriptOutcome.Failed;
                        result.FailedStep = i;
                        break;
                    }
                }

                _se.Close(tenant, channel);
            }
            catch (Exception e)
            {
                // No exception filter (support on the nanoFramework runtime is unconfirmed). Anything else is a bug or a power cut.
                if (!ScriptRelay.IsLinkFault(e))
                {
                    throw;
                }

                // The link broke: the step being sent may have run. Reported like a reboot, from the persisted trace.
                InFlightRun[] runs = _store.Runs();
                for (int i = 0; i < runs.Length; i++)
                {
                    if (runs[i].TenantId == tenant.Id)
                    {
                        _relay.ReportInterrupted(runs[i]);
                    }
                }

                return;
            }

            StepResult[] final = new StepResult[count];
            Array.Copy(done, final, count);
            result.Steps = final;
            _relay.Finish(tenant, result);
        }

        // Records "sending i" (answered null) or the answer; false when the store failed (counted by the relay).
        // The EXTERNAL AUTHENTICATE guard's count is a store write too: a failure stops the run like a failed trace.
        private bool Observe(Tenant tenant, byte[] command, ushort sw)
        {
            try
            {
                _guard.Observe(tenant, command, sw);
                return true;
            }
            catch (RelayStoreException e)
            {
                _relay.StoreFailed(e);
                return false;
            }
        }

        private bool Trace(Tenant tenant, int index, StepResult answered)
        {
            try
            {
                if (answered == null)
                {
                    _store.MarkSending(tenant.Id, index);
                }
                else
                {
                    _store.MarkAnswered(tenant.Id, answered);
                }

                return true;
            }
            catch (RelayStoreException e)
            {
                _relay.StoreFailed(e);
                return false;
            }
        }

        private void Progress(Tenant tenant, ScriptRequest request, int stepsDone, ushort lastSw)
        {
            IRelayListener listener = _relay.Listener;
            if (listener != null)
            {
                ScriptProgress progress = new ScriptProgress();
                progress.ScriptId = request.ScriptId;
                progress.StepsDone = stepsDone;
                progress.StepCount = request.Steps.Length;
                progress.LastSw = lastSw;
                listener.OnProgress(tenant.Id, progress);
            }
        }
    }
}
