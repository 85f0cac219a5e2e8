namespace NanoAgent.Fleet;

/// <summary>
/// What a campaign runs: one tenant's script on its SD, as created by <c>campaign create</c>. The script text itself is
/// stored, so every worker runs the same bytes; keys are not (each worker reads them from its key files or token).
/// </summary>
public sealed record CampaignDefinition
{
    /// <summary>Gets the campaign name (an identifier, unique in the database).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the tenant id.</summary>
    public required string Tenant { get; init; }

    /// <summary>Gets the SD AID.</summary>
    public required byte[] Sd { get; init; }

    /// <summary>Gets the tenant's logical channel.</summary>
    public int Channel { get; init; }

    /// <summary>Gets the SCP03 security level.</summary>
    public byte Level { get; init; } = 0x33;

    /// <summary>Gets a value indicating whether S16 mode is used.</summary>
    public bool S16 { get; init; }

    /// <summary>Gets the mode: <c>batch</c> (pre-computed, one message per device) or <c>interactive</c>.</summary>
    public string Mode { get; init; } = "batch";

    /// <summary>Gets the key version of the tenant's SCP03 key set on every device.</summary>
    public byte KeyVersion { get; init; }

    /// <summary>Gets the script's file name (for step names).</summary>
    public required string ScriptName { get; init; }

    /// <summary>Gets the script text (docs/script-format.md).</summary>
    public required string ScriptText { get; init; }

    /// <summary>Gets the rollout rules.</summary>
    public RolloutRules Rules { get; init; } = new();

    /// <summary>Returns whether a text is a valid campaign name: 1 to 64 of <c>A-Z a-z 0-9 . _ -</c>.</summary>
    /// <param name="name">The text.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidName(string? name) => DeviceList.IsValidDeviceId(name);
}
