namespace NanoAgent.Fleet;

/// <summary>Where a whole campaign stands.</summary>
public enum CampaignState
{
    /// <summary>Workers claim its queued devices.</summary>
    Active,

    /// <summary>Stopped by the abort rule: no new device starts until <c>campaign run --resume</c>.</summary>
    Aborted,

    /// <summary>Cancelled: its queued devices were cancelled; devices in progress finish.</summary>
    Cancelled,

    /// <summary>Every device reached a final state.</summary>
    Finished,
}
