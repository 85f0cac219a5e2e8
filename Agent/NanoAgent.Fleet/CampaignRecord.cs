namespace NanoAgent.Fleet;

/// <summary>A campaign as stored: its definition, its state and the counts of devices in each final state.</summary>
public sealed record CampaignRecord
{
    /// <summary>Gets the definition.</summary>
    public required CampaignDefinition Definition { get; init; }

    /// <summary>Gets the campaign state.</summary>
    public CampaignState State { get; init; }

    /// <summary>Gets why the campaign was aborted or cancelled, or null.</summary>
    public string? StateReason { get; init; }

    /// <summary>Gets the number of devices.</summary>
    public int DeviceCount { get; init; }

    /// <summary>Gets the number of devices in each final state (succeeded, failed, timed out, rejected, cancelled).</summary>
    public IReadOnlyDictionary<DeviceState, long> Finished { get; init; } = new Dictionary<DeviceState, long>();

    /// <summary>Gets the finished and failed counts when the campaign was last resumed (the abort rule counts from there).</summary>
    public (long Finished, long Failures) AbortBase { get; init; }

    /// <summary>Gets when it was created (Unix ms, database clock).</summary>
    public long CreatedMs { get; init; }

    /// <summary>Gets when it last changed (Unix ms, database clock).</summary>
    public long UpdatedMs { get; init; }

    /// <summary>Gets the devices that finished, cancelled ones excepted.</summary>
    public long FinishedCount => Count(DeviceState.Succeeded) + Failures;

    /// <summary>Gets the failed, timed out and rejected devices.</summary>
    public long Failures => Count(DeviceState.Failed) + Count(DeviceState.TimedOut) + Count(DeviceState.Rejected);

    /// <summary>Returns the count of one final state.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The count.</returns>
    public long Count(DeviceState state) => Finished.TryGetValue(state, out long n) ? n : 0;
}
