namespace NanoAgent.Fleet;

/// <summary>A device a worker claimed, with what the database knows of its earlier tries.</summary>
public sealed record DeviceClaim
{
    /// <summary>Gets the device id.</summary>
    public required string Device { get; init; }

    /// <summary>Gets how many times the device was started (this try included).</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when this try started (Unix ms, database clock); a taken-over device keeps its start.</summary>
    public long StartedMs { get; init; }

    /// <summary>Gets when it was claimed (Unix ms, database clock).</summary>
    public long ClaimedMs { get; init; }

    /// <summary>Gets the worker that held it before, when this claim takes an expired lease over; else null.</summary>
    public string? TakenFrom { get; init; }

    /// <summary>Gets the first of the tenant counters the claim reserved for this device (it and the next one are this
    /// claim's: greater than any counter the fleet sent the device before, so no other worker can use them).</summary>
    public long Counter { get; init; }

    /// <summary>Gets the request recorded before it was sent, or null when none was sent for this device yet.</summary>
    public SentRequest? Sent { get; init; }
}
