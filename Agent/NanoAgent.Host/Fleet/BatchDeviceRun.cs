using System.Security.Cryptography;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Fleet;
using NanoAgent.Host.Backend;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// One device in batch mode. When the SD's facts are unknown it first asks for them with a one-step batch, INITIALIZE
/// UPDATE alone (sequence counter, i parameter, key diversification data; no keys needed, nothing changes on the SE but
/// the counter). Then it pre-computes the session for the next counter (GP Amd D §6.2.2.1), records the request in the
/// database (script id, tenant counter, counter, host challenge, the bytes) and only then publishes it. A worker taking
/// the device over makes the same plan from the record and publishes the same bytes: the agent answers a script id it
/// ran from its store and never runs it again (docs/protocol.md §3.8).
/// </summary>
internal sealed class BatchDeviceRun
{
    private readonly CampaignContext _c;
    private readonly DeviceRunner _runner;
    private readonly DeviceClaim _claim;
    private readonly BackendLink _link;
    private readonly TimeSpan _timeout;
    private readonly RequestSigner _signer;

    public BatchDeviceRun(CampaignContext context, DeviceRunner runner, DeviceClaim claim, BackendLink link, TimeSpan timeout)
    {
        _c = context;
        _runner = runner;
        _claim = claim;
        _link = link;
        _timeout = timeout;
        _signer = context.SignerFor(claim.Device);
    }

    private string Device => _claim.Device;

    public void Run()
    {
        DeviceFacts? facts = _c.Work.Facts(_c.Campaign.Tenant, Device, _c.SdHex);
        SentRequest? sent = _claim.Sent;
        bool probed = false;
        if (sent is null && facts?.Diversification is null)
        {
            facts = Probe();
            if (facts is null)
            {
                return;
            }

            probed = true;
        }

        if (facts?.Diversification is null)
        {
            _c.Work.Finish(Device, new DeviceOutcome { State = DeviceState.Failed, Detail = "a request was recorded but the SD's facts are gone from the database" });
            return;
        }

        Scp03StaticKeys keys = _c.Keys.KeysFor(_c.Campaign.KeyVersion, facts.Diversification);
        BackendOptions options = _c.OptionsFor(Device, _timeout);
        byte iParameter = (byte)(facts.IParameter | (_c.Campaign.S16 ? Scp03SecurityLevel.S16Mode : 0));
        BatchPlan plan;
        try
        {
            plan = sent is null
                ? BatchPlan.Create(keys, options, _c.Script, facts.SequenceCounter + 1, iParameter)
                : BatchPlan.Create(keys, options, _c.Script, sent.SequenceCounter, iParameter, sent.HostChallenge);
        }
        catch (SecureChannelException e)
        {
            _c.Work.Finish(Device, new DeviceOutcome { State = DeviceState.Failed, Detail = $"cannot pre-compute the session: {e.Message}" });
            return;
        }

        if (sent is null)
        {
            // One transaction: the facts just learned (if any) and the request, under the second counter the claim reserved.
            sent = _c.Work.RecordRequest(_c.Campaign.Tenant, Device, counter => Record(plan, plan.Issue((ulong)counter), counter),
                _claim.Counter + 1, probed ? (_c.SdHex, facts) : null);
            if (sent is null)
            {
                return; // another worker holds the device now
            }
        }
        else
        {
            byte[] again = _signer.Sign(plan.Issue((ulong)sent.TenantCounter, sent.ScriptId));
            if (!again.AsSpan().SequenceEqual(sent.Request))
            {
                _c.Work.Finish(Device, new DeviceOutcome { State = DeviceState.Failed, Detail = "the recorded request cannot be made again (keys or script changed since): not sent again" });
                return;
            }

            _c.Work.CountResend(Device);
        }

        ScriptResult result = SendAndWait(sent.Request, sent.ScriptId);
        if (result.Outcome == ScriptOutcome.Rejected)
        {
            _runner.Rejected(_claim, result, sent.TenantCounter);
            return;
        }

        string key = BackendState.Key(Device, _c.Campaign.Tenant, _c.Campaign.Sd);
        var state = new BackendState();
        state.Domains[key] = new BackendState.DomainFacts { SequenceCounter = facts.SequenceCounter, IParameter = facts.IParameter };
        BackendReport report = new BatchVerifier(plan, state, key, TextWriter.Null).Verify(result);
        BackendState.DomainFacts seen = state.Find(key)!;
        var learned = new DeviceFacts(seen.SequenceCounter, seen.IParameter, facts.Diversification);
        bool handshakeOnly = report.Steps.Count > 0 && !report.Steps.Exists(s => s.Index >= 2 && s.Sw is not null);
        if (!report.Succeeded && handshakeOnly && seen.SequenceCounter != plan.SequenceCounter)
        {
            // The SD ran another session since the facts were learned: nothing of the script ran; plan again for its counter.
            _c.Work.PutFacts(_c.Campaign.Tenant, Device, _c.SdHex, learned);
            _c.Work.ForgetRequest(Device);
            _runner.Retry(_claim, $"the SD's sequence counter had moved to {seen.SequenceCounter}: planned again");
            return;
        }

        _c.Work.Finish(Device, DeviceRunner.Outcome(report), (_c.Campaign.Tenant, _c.SdHex, learned));
    }

    /// <summary>Learns the SD's facts only (for a run in another mode).</summary>
    /// <returns>The facts, or null when the device was given an outcome or a retry instead.</returns>
    public DeviceFacts? ProbeOnly() => Probe();

    private SentRequest Record(BatchPlan plan, ScriptRequest request, long counter) => new()
    {
        ScriptId = request.ScriptId, TenantCounter = counter, SequenceCounter = plan.SequenceCounter, HostChallenge = plan.HostChallenge,
        Request = _signer.Sign(request),
    };

    // One batch, INITIALIZE UPDATE alone (GP Amd D §7.1.1), answered with data: what the SD's next session needs (the caller
    // keeps it with the request it records next).
    private DeviceFacts? Probe()
    {
        for (int round = 0; round < 2; round++)
        {
            // The first counter the claim reserved; after a "replayed counter" refusal, one past the agent's.
            long? counter = round == 0 ? _claim.Counter : _c.Work.NextCounter(_c.Campaign.Tenant, Device);
            if (counter is null)
            {
                return null;
            }

            int length = _c.Campaign.S16 ? 16 : 8;
            byte[] iu = [LogicalChannel.Encode(0x80, _c.Campaign.Channel), 0x50, _c.Campaign.KeyVersion, 0x00, (byte)length, .. RandomNumberGenerator.GetBytes(length), 0x00];
            var request = new ScriptRequest
            {
                ScriptId = Guid.NewGuid().ToByteArray(), TenantId = _c.Campaign.Tenant, Counter = (ulong)counter.Value, TargetAid = _c.Campaign.Sd,
                Mode = ScriptMode.Batch, ProgressEvery = 1024, Steps = [new ScriptStep(iu, 0x9000, 0xFFFF, false, returnData: true)],
            };
            ScriptResult result = SendAndWait(_signer.Sign(request), request.ScriptId);
            if (result.Outcome == ScriptOutcome.Rejected && result.Reason == RejectReason.ReplayedCounter && round == 0)
            {
                _c.Work.NextCounter(_c.Campaign.Tenant, Device, counter.Value + 65536);
                continue;
            }

            if (result.Outcome == ScriptOutcome.Rejected)
            {
                _runner.Rejected(_claim, result, counter.Value);
                return null;
            }

            StepResult? step = result.Steps.FirstOrDefault(s => s.Index == 0);
            if (step is null || !step.HasSw || step.Sw != 0x9000 || step.Data is null)
            {
                string sw = step is { HasSw: true } ? step.Sw.ToString("X4") : "no answer";
                _c.Work.Finish(Device, new DeviceOutcome
                {
                    State = DeviceState.Failed, LastSw = step is { HasSw: true } ? step.Sw : null,
                    Detail = $"INITIALIZE UPDATE for the SD's facts answered {sw}: no key set {_c.Campaign.KeyVersion:X2} on SD {_c.SdHex}, or it is blocked ({TenantBackend.Describe(result)})",
                });
                return null;
            }

            byte[] response = [.. step.Data, 0x90, 0x00];
            if (Scp03InitializeUpdateResponse.TryParse(response, 0, response.Length, length, out Scp03InitializeUpdateResponse view) != 0)
            {
                _c.Work.Finish(Device, new DeviceOutcome { State = DeviceState.Failed, Detail = "the INITIALIZE UPDATE answer is malformed" });
                return null;
            }

            return new DeviceFacts(view.SequenceCounter, view.IParameter, step.Data[..Scp03InitializeUpdateResponse.DiversificationDataLength]);
        }

        return null;
    }

    private ScriptResult SendAndWait(byte[] payload, byte[] scriptId)
    {
        _link.Send(payload);
        while (true)
        {
            if (_link.Next(scriptId, null) is ScriptResult result)
            {
                return result;
            }
        }
    }
}
