using NanoAgent.Agent.Messages;

namespace NanoAgent.Host.Provision;

/// <summary>What became of one bundle item in a console run.</summary>
/// <param name="Item">The item.</param>
/// <param name="Result">The agent's result, or null when no result arrived (not run, cancelled, timed out).</param>
/// <param name="Raw">The encoded result, or null.</param>
/// <param name="Source">"run" (answered now), "journal" (finished in an earlier run) or "not run".</param>
public sealed record ItemRecord(BundleItem Item, ScriptResult? Result, byte[]? Raw, string Source)
{
    /// <summary>Gets a value indicating whether the item completed (every step matched).</summary>
    public bool Completed => Result?.Outcome == ScriptOutcome.Completed;

    /// <summary>Gets the number of steps that passed.</summary>
    public int StepsPassed => Result?.Steps.Count(s => s.Outcome == StepOutcome.Passed) ?? 0;

    /// <summary>Gets the outcome in words.</summary>
    public string Outcome => Result is null ? Source : Describe(Result);

    /// <summary>Describes a result in plain words.</summary>
    /// <param name="r">The result.</param>
    /// <returns>The description.</returns>
    public static string Describe(ScriptResult r) => r.Outcome switch
    {
        ScriptOutcome.Completed => "completed",
        ScriptOutcome.Failed => $"failed at step {r.FailedStep} (SW {r.Steps.FirstOrDefault(s => s.Index == r.FailedStep)?.Sw:X4})",
        ScriptOutcome.Rejected => $"rejected by the relay: {r.Reason}",
        ScriptOutcome.Interrupted => $"interrupted at step {r.FailedStep} (agent reboot or SE link lost): the tenant's backend must issue a new script",
        ScriptOutcome.SetupFailed => $"setup failed: channel or SD selection answered {r.SetupSw:X4}",
        ScriptOutcome.StorageFailed => $"stopped at step {r.FailedStep}: the agent's relay store failed (see its log); the tenant's backend must issue a new script",
        _ => r.Outcome.ToString(),
    };
}
