using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Host.Backend;

/// <summary>
/// A script sent as it is, without an SCP03 session (<c>backend run --mode plain</c>): for commands a security domain
/// answers outside a secure channel, such as GET DATA CPLC for a provisioning receipt (docs/provisioning.md §4). The
/// relay's checks apply as to any request and the request is MAC'd with the tenant's request key; the answers are not
/// authenticated (no R-MAC), so nothing secret belongs in such a script.
/// </summary>
public static class PlainScript
{
    /// <summary>Builds the batch request: every step on the tenant's logical channel, every answer's data returned.</summary>
    /// <param name="options">Device, tenant, SD and channel.</param>
    /// <param name="script">The script.</param>
    /// <param name="tenantCounter">The tenant counter.</param>
    /// <returns>The request, not yet MAC'd.</returns>
    public static ScriptRequest Request(BackendOptions options, ScriptFile script, ulong tenantCounter)
    {
        var steps = new ScriptStep[script.Steps.Count];
        for (int i = 0; i < steps.Length; i++)
        {
            ScriptFileStep step = script.Steps[i];
            byte[] command = (byte[])step.Apdu.Clone();

            // The relay never rewrites CLA (docs/protocol.md §4.2): the backend puts the tenant's channel in.
            command[0] = LogicalChannel.Encode(command[0], options.Channel);
            steps[i] = new ScriptStep(command, step.ExpectedSw, step.SwMask, step.ContinueOnFailure, returnData: true);
        }

        return new ScriptRequest
        {
            ScriptId = Guid.NewGuid().ToByteArray(),
            TenantId = options.Tenant,
            Counter = tenantCounter,
            TargetAid = options.Sd,
            Mode = ScriptMode.Batch,
            ProgressEvery = Math.Clamp(options.ProgressEvery, 1, 1024),
            Steps = steps,
            ResetAuthGuard = options.ResetAuthGuard,
            ResetAuthGuardOf = options.ResetAuthGuardOf,
        };
    }

    /// <summary>Turns the relay's result into a report: each step's status word against its expectation, its data shown.</summary>
    /// <param name="script">The script.</param>
    /// <param name="result">The relay's result.</param>
    /// <param name="output">Where the progress lines go.</param>
    /// <returns>The report.</returns>
    public static BackendReport Report(ScriptFile script, ScriptResult result, TextWriter output)
    {
        var report = new BackendReport("plain", script.Steps.Count);
        if (result.Outcome is ScriptOutcome.Rejected or ScriptOutcome.SetupFailed)
        {
            report.Fail(TenantBackend.Describe(result));
            return report;
        }

        for (int i = 0; i < script.Steps.Count; i++)
        {
            ScriptFileStep step = script.Steps[i];
            StepResult? answer = Array.Find(result.Steps, s => s.Index == i);
            string name = $"{script.Name}:{step.Line}";
            StepReport line = answer is null || !answer.HasSw
                ? new StepReport(i, name, step.Apdu, null, null, step.ExpectationText, false, answer is null ? "not sent" : "sent, answer unknown")
                : new StepReport(i, name, step.Apdu, answer.Sw, answer.Data, step.ExpectationText, answer.Outcome == StepOutcome.Passed,
                    answer.Outcome == StepOutcome.Passed ? string.Empty : step.ContinueOnFailure ? "continue" : "stopped here");
            report.Steps.Add(line);
            output.WriteLine(line.ProgressLine(report.Total));
            if (answer is not null && answer.HasSw && !line.Passed)
            {
                report.Fail($"step {i + 1} ({name}) answered {answer.Sw:X4}, expected {step.ExpectationText}" + (step.ContinueOnFailure ? " (continued)" : string.Empty));
            }
        }

        if (result.Outcome == ScriptOutcome.Interrupted)
        {
            report.Fail(TenantBackend.Describe(result));
        }

        return report;
    }
}
