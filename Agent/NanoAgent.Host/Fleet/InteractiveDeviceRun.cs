using NanoAgent.Agent.Messages;
using NanoAgent.Fleet;
using NanoAgent.Host.Backend;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// One device in interactive mode: one relay session, one round trip per APDU, a fresh card challenge. The session's
/// opening request is recorded before it is sent. A worker that takes the device over cannot continue the session (its
/// SCP03 session keys died with the worker), so it sends the recorded opening again: while the session is still open the
/// agent answers with its last answer (the device goes back in the queue until the agent's idle timeout ends it); once it
/// ended, the agent answers its stored result, which lists every APDU that reached the SE. No script step reached it: the
/// script runs again in a new session. Every step answered as expected: succeeded (by status word; the R-MACs died with the
/// worker). Anything between: failed, partly applied, with the count, for the operator to look at.
/// </summary>
internal sealed class InteractiveDeviceRun
{
    private readonly CampaignContext _c;
    private readonly DeviceRunner _runner;
    private readonly DeviceClaim _claim;
    private readonly BackendLink _link;
    private readonly TimeSpan _timeout;

    public InteractiveDeviceRun(CampaignContext context, DeviceRunner runner, DeviceClaim claim, BackendLink link, TimeSpan timeout)
    {
        _c = context;
        _runner = runner;
        _claim = claim;
        _link = link;
        _timeout = timeout;
    }

    private string Device => _claim.Device;

    public void Run()
    {
        if (_claim.Sent is { } sent)
        {
            TakeOver(sent);
            return;
        }

        DeviceFacts? facts = _c.Work.Facts(_c.Campaign.Tenant, Device, _c.SdHex);
        bool probed = facts?.Diversification is null;
        if (probed)
        {
            // The keys may depend on the device's diversification data: learn it with the batch probe first.
            facts = new BatchDeviceRun(_c, _runner, _claim, _link, _timeout).ProbeOnly();
        }

        if (facts?.Diversification is null)
        {
            return;
        }

        var state = new BackendState();
        string key = BackendState.Key(Device, _c.Campaign.Tenant, _c.Campaign.Sd);
        var backend = new TenantBackend(_link, _c.OptionsFor(Device, _timeout), _c.Keys.KeysFor(_c.Campaign.KeyVersion, facts.Diversification), state, TextWriter.Null);
        ScriptRequest? open = null;
        SentRequest? recorded = _c.Work.RecordRequest(_c.Campaign.Tenant, Device, counter =>
        {
            open = backend.OpeningRequest(Guid.NewGuid().ToByteArray(), (ulong)counter);
            return new SentRequest { ScriptId = open.ScriptId, TenantCounter = counter, SequenceCounter = -1, HostChallenge = [], Request = backend.Encode(open) };
        }, _claim.Counter + 1, probed ? (_c.SdHex, facts!) : null);
        if (recorded is null || open is null)
        {
            return;
        }

        BackendReport report = backend.RunInteractive(_c.Script, open);
        if (report.Steps.Count == 0 && report.Failure is { } why && why.StartsWith("the relay rejected", StringComparison.Ordinal))
        {
            // Refused at the opening: consumed nothing. Try again later (busy) or record the rejection.
            _c.Work.ForgetRequest(Device);
            if (why.Contains(RejectReason.Busy.ToString(), StringComparison.Ordinal))
            {
                _runner.Retry(_claim, why);
            }
            else
            {
                _c.Work.Finish(Device, new DeviceOutcome { State = DeviceState.Rejected, Detail = why });
            }

            return;
        }

        DeviceFacts learned = state.Find(key) is { } seen ? new DeviceFacts(seen.SequenceCounter, seen.IParameter, facts.Diversification) : facts;
        _c.Work.Finish(Device, DeviceRunner.Outcome(report), (_c.Campaign.Tenant, _c.SdHex, learned));
    }

    private void TakeOver(SentRequest sent)
    {
        _c.Work.CountResend(Device);
        _link.Send(sent.Request);
        object answer = _link.Next(sent.ScriptId, null);
        if (answer is ApduResponse)
        {
            _runner.Retry(_claim, "the stopped worker's session is still open on the device: waiting for the agent's idle timeout to end it");
            return;
        }

        var result = (ScriptResult)answer;
        if (result.Outcome == ScriptOutcome.Rejected)
        {
            // The opening never ran (refused, or its result is no longer stored): nothing of it reached the SE.
            _c.Work.ForgetRequest(Device);
            _c.Work.Requeue(Device, TimeSpan.Zero, $"the stopped worker's session did not run ({result.Reason}): run again");
            return;
        }

        // Steps of an interactive session: every APDU forwarded, INITIALIZE UPDATE and EXTERNAL AUTHENTICATE first.
        List<StepResult> forwarded = [.. result.Steps.Where(s => s.HasSw).OrderBy(s => s.Index)];
        int scriptSteps = Math.Max(0, forwarded.Count - 2);
        if (scriptSteps == 0)
        {
            _c.Work.ForgetRequest(Device);
            _c.Work.Requeue(Device, TimeSpan.Zero, "the stopped worker's session ran no script step: run again");
            return;
        }

        bool all = scriptSteps == _c.Script.Steps.Count;
        for (int i = 0; all && i < scriptSteps; i++)
        {
            all = _c.Script.Steps[i].Accepts(forwarded[i + 2].Sw);
        }

        _c.Work.Finish(Device, all
            ? new DeviceOutcome
            {
                State = DeviceState.Succeeded, StepsTotal = 2 + _c.Script.Steps.Count, StepsPassed = forwarded.Count, LastSw = forwarded[^1].Sw,
                Detail = "completed in the session of a worker that stopped: every status word as expected (the R-MACs could not be verified)",
            }
            : new DeviceOutcome
            {
                State = DeviceState.Failed, StepsTotal = 2 + _c.Script.Steps.Count, LastSw = forwarded[^1].Sw,
                Detail = $"the session of a worker that stopped ran {scriptSteps} of {_c.Script.Steps.Count} script steps (partly applied, or a step failed): check the device",
            });
    }
}
