namespace NanoAgent.Fleet;

/// <summary>Where one device's execution of a campaign stands (docs/fleet.md, "Device states").</summary>
public enum DeviceState
{
    /// <summary>Waiting to be claimed by a worker (first time, or again after a retry delay).</summary>
    Queued,

    /// <summary>Claimed by a worker under a lease; its request may have been sent.</summary>
    InProgress,

    /// <summary>Every step answered as expected and verified end to end (final).</summary>
    Succeeded,

    /// <summary>A step answered otherwise, or an answer did not verify (final).</summary>
    Failed,

    /// <summary>No answer within the per-device timeout, or still offline after the last retry (final).</summary>
    TimedOut,

    /// <summary>The relay refused the request before anything reached the SE (final).</summary>
    Rejected,

    /// <summary>The campaign was cancelled before this device was started (final).</summary>
    Cancelled,
}
