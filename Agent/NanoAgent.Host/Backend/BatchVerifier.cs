using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Backend;

/// <summary>
/// Checks the result of a pre-computed batch end to end: the card cryptogram in the INITIALIZE UPDATE answer (step 0),
/// EXTERNAL AUTHENTICATE (step 1), then every wrapped step's R-MAC / R-ENC, re-deriving the session in order.
/// </summary>
internal sealed class BatchVerifier
{
    private readonly BatchPlan _plan;
    private readonly BackendState _state;
    private readonly string _stateKey;
    private readonly TextWriter _output;

    public BatchVerifier(BatchPlan plan, BackendState state, string stateKey, TextWriter output)
    {
        _plan = plan;
        _state = state;
        _stateKey = stateKey;
        _output = output;
    }

    public BackendReport Verify(ScriptResult result)
    {
        int total = _plan.Wire.Count;
        var report = new BackendReport("batch", total);
        if (result.Outcome is ScriptOutcome.Rejected or ScriptOutcome.SetupFailed)
        {
            report.Fail(TenantBackend.Describe(result));
            return report;
        }

        var answers = new Dictionary<int, StepResult>();
        foreach (StepResult s in result.Steps)
        {
            answers[s.Index] = s;
        }

        TenantChannel channel = _plan.NewChannel();
        channel.InitializeUpdate(null);
        bool verifying = true;
        for (int i = 0; i < total; i++)
        {
            if (i == 1)
            {
                channel.ExternalAuthenticate(_plan.Options.Level);
            }
            else if (i >= 2)
            {
                channel.Wrap(_plan.Plain[i]); // Same bytes as sent; keeps the MAC chaining in step with the card.
            }

            if (!answers.TryGetValue(i, out StepResult? answer) || !answer.HasSw)
            {
                string note = answer?.Outcome == StepOutcome.SentUnknown ? "sent, answer unknown" : "not sent";
                if (i == 0 && answer?.Outcome == StepOutcome.SentUnknown)
                {
                    AssumeCounterUsed(); // the card most likely ran INITIALIZE UPDATE, which moves its counter
                }

                Add(report, new StepReport(i, _plan.Names[i], _plan.Plain[i], null, null, _plan.Expected[i], false, note), null);
                continue;
            }

            byte[] response = [.. answer.Data ?? [], (byte)(answer.Sw >> 8), (byte)answer.Sw];
            string? why = null;
            byte[]? data = null;
            bool passed = answer.Outcome == StepOutcome.Passed;
            if (i == 0)
            {
                data = answer.Data;
                if (!passed)
                {
                    why = $"INITIALIZE UPDATE refused ({answer.Sw:X4})";
                }
                else if (answer.Data is null && result.Outcome == ScriptOutcome.Interrupted)
                {
                    AssumeCounterUsed();
                }
                else
                {
                    why = CheckCardCryptogram(channel, response);
                }
            }
            else if (i == 1)
            {
                why = passed ? null : $"EXTERNAL AUTHENTICATE refused ({answer.Sw:X4}): the card did not accept the pre-computed host cryptogram (its sequence counter moved past {_plan.SequenceCounter}, or wrong keys)";
            }
            else if (verifying)
            {
                try
                {
                    byte[] plain = channel.Unwrap(response);
                    data = plain[..^2];
                }
                catch (SecureChannelException e)
                {
                    verifying = false;
                    why = $"the answer to step {i} ({_plan.Names[i]}) does not verify: {e.Message}";
                }

                if (why is null && !passed)
                {
                    why = $"step {i} ({_plan.Names[i]}) answered {answer.Sw:X4}, expected {_plan.Expected[i]}";
                }
            }

            passed &= why is null;
            Add(report, new StepReport(i, _plan.Names[i], _plan.Plain[i], answer.Sw, data, _plan.Expected[i], passed, why is null ? string.Empty : "see below"), why);
        }

        if (result.Outcome == ScriptOutcome.Interrupted)
        {
            // Reported as what it is, with the counter the card used, so the next batch is computed for the one after it.
            int used = _state.Find(_stateKey)?.SequenceCounter ?? _plan.SequenceCounter;
            report.Fail($"{TenantBackend.Describe(result)}: the SD's sequence counter is now {used} (state updated: the next batch is computed for {used + 1})");
        }

        return report;
    }

    // An interrupted run whose INITIALIZE UPDATE answer was not kept (the device's trace keeps no response data): the card
    // ran it (or probably did), so its counter reached the one the plan was computed for (GP Amd D §6.2.1).
    private void AssumeCounterUsed()
    {
        BackendState.DomainFacts? known = _state.Find(_stateKey);
        if (known is null || known.SequenceCounter < _plan.SequenceCounter)
        {
            _state.Record(_stateKey, _plan.SequenceCounter, known?.IParameter ?? (byte)0x70);
        }
    }

    private string? CheckCardCryptogram(TenantChannel channel, byte[] response)
    {
        bool match = channel.CheckPrecomputedResponse(response, out Scp03InitializeUpdateResponse view);
        if (view.ChallengeLength == 0)
        {
            return "the INITIALIZE UPDATE answer is malformed";
        }

        // Remember what the card showed, so the next batch is computed for the right counter.
        _state.Record(_stateKey, view.SequenceCounter, view.IParameter);
        if (match)
        {
            return null;
        }

        return view.SequenceCounter != _plan.SequenceCounter
            ? $"card cryptogram mismatch: the SD ran sequence counter {view.SequenceCounter}, the script was computed for {_plan.SequenceCounter} (state updated: run again)"
            : "card cryptogram mismatch: the SD does not hold these keys";
    }

    private void Add(BackendReport report, StepReport step, string? why)
    {
        report.Steps.Add(step);
        _output.WriteLine(step.ProgressLine(report.Total));
        if (why is not null)
        {
            report.Fail(why);
        }
    }
}
