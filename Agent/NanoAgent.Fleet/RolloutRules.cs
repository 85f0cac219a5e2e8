namespace NanoAgent.Fleet;

/// <summary>
/// How fast a campaign rolls out and when it stops: devices in flight and started per minute (across every worker), the
/// abort rule, the per-device timeout, retries with back-off for devices that are offline or busy, and the worker lease.
/// </summary>
public sealed record RolloutRules
{
    /// <summary>Gets the most devices in progress at once, across all workers.</summary>
    public int MaxInFlight { get; init; } = 50;

    /// <summary>Gets the most devices started in any 60 s, across all workers; 0 for no limit.</summary>
    public int MaxPerMinute { get; init; }

    /// <summary>Gets the failure percentage (failed, timed out, rejected among finished devices) above which the campaign aborts.</summary>
    public int AbortPercent { get; init; } = 10;

    /// <summary>Gets how many devices must have finished before the abort rule applies.</summary>
    public int AbortMinDevices { get; init; } = 20;

    /// <summary>Gets how long one device may take from its start (answers included) before it is timed out.</summary>
    public TimeSpan DeviceTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Gets how many times a device is started at most (the first try included) while offline or busy.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Gets the first retry delay; each later one doubles, up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the longest retry delay.</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets how long a worker's claim holds without renewal; a killed worker's devices are taken over after it.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns the first rule that is out of range, or null.</summary>
    /// <returns>The problem in words (naming the option), or null.</returns>
    public string? Problem()
    {
        if (MaxInFlight is < 1 or > 100_000)
        {
            return "--max-in-flight is 1 to 100000";
        }

        if (MaxPerMinute is < 0 or > 10_000_000)
        {
            return "--max-per-minute is 0 (no limit) to 10000000";
        }

        if (AbortPercent is < 0 or > 100)
        {
            return "--abort-percent is 0 to 100";
        }

        if (AbortMinDevices < 1)
        {
            return "--abort-min-devices is at least 1";
        }

        if (MaxAttempts is < 1 or > 1000)
        {
            return "--max-attempts is 1 to 1000";
        }

        if (DeviceTimeout < TimeSpan.FromSeconds(1) || RetryBase < TimeSpan.Zero || RetryMax < RetryBase || Lease < TimeSpan.FromSeconds(1))
        {
            return "--device-timeout and --lease are at least 1 s, and --retry-max is at least --retry-base";
        }

        return null;
    }

    /// <summary>Returns the delay before the next try of a device that was offline or busy.</summary>
    /// <param name="attempts">How many tries were made so far (1 after the first).</param>
    /// <returns><see cref="RetryBase"/> doubled for each try after the first, at most <see cref="RetryMax"/>.</returns>
    public TimeSpan RetryDelay(int attempts)
    {
        int doublings = Math.Clamp(attempts - 1, 0, 30);
        double ms = RetryBase.TotalMilliseconds * Math.Pow(2, doublings);
        return TimeSpan.FromMilliseconds(Math.Min(ms, RetryMax.TotalMilliseconds));
    }

    /// <summary>Returns whether the abort rule stops the campaign.</summary>
    /// <param name="finished">Devices in a final state other than cancelled (since the last resume).</param>
    /// <param name="failures">Of those, the failed, timed out and rejected ones.</param>
    /// <returns>True when at least <see cref="AbortMinDevices"/> finished and more than <see cref="AbortPercent"/> % failed.</returns>
    public bool ShouldAbort(long finished, long failures) =>
        finished >= AbortMinDevices && failures * 100 > AbortPercent * finished;
}
