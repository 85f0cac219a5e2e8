namespace NanoAgent.Fleet;

/// <summary>One device of a campaign as the report shows it.</summary>
public sealed record DeviceRecord
{
    /// <summary>Gets the device id.</summary>
    public required string Device { get; init; }

    /// <summary>Gets the state.</summary>
    public DeviceState State { get; init; }

    /// <summary>Gets how many times it was started.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets how many times its request was published (re-sends after a take-over included).</summary>
    public int Sends { get; init; }

    /// <summary>Gets the worker that holds or last held it.</summary>
    public string? Worker { get; init; }

    /// <summary>Gets when it first started (Unix ms), or null.</summary>
    public long? FirstStartedMs { get; init; }

    /// <summary>Gets when it finished (Unix ms), or null.</summary>
    public long? FinishedMs { get; init; }

    /// <summary>Gets the steps planned, or null.</summary>
    public int? StepsTotal { get; init; }

    /// <summary>Gets the steps passed, or null.</summary>
    public int? StepsPassed { get; init; }

    /// <summary>Gets the last status word, or null.</summary>
    public int? LastSw { get; init; }

    /// <summary>Gets the verdict or the reason of the last retry, or null.</summary>
    public string? Detail { get; init; }

    /// <summary>Gets the step results as JSON, or null.</summary>
    public string? StepsJson { get; init; }

    /// <summary>Gets the tenant counter of the request, or null.</summary>
    public long? TenantCounter { get; init; }

    /// <summary>Gets the script id of the request, or null.</summary>
    public byte[]? ScriptId { get; init; }
}
