namespace NanoAgent.Fleet;

/// <summary>How one device's execution ended, as recorded with it.</summary>
public sealed record DeviceOutcome
{
    /// <summary>Gets the final state.</summary>
    public required DeviceState State { get; init; }

    /// <summary>Gets the verdict in words (empty on success).</summary>
    public string Detail { get; init; } = string.Empty;

    /// <summary>Gets the steps planned (handshake included), or null when nothing was planned.</summary>
    public int? StepsTotal { get; init; }

    /// <summary>Gets the steps that met their expectation and verified.</summary>
    public int? StepsPassed { get; init; }

    /// <summary>Gets the last status word answered, or null.</summary>
    public int? LastSw { get; init; }

    /// <summary>Gets the step results as JSON (index, name, SW, expected, passed, note, data), or null.</summary>
    public string? StepsJson { get; init; }
}
