namespace NanoAgent.VirtualSe.Platform;

/// <summary>
/// What the card behind a <see cref="PlatformScpGate"/> decides about its platform channel, as opposed to what the operator
/// chose in <see cref="PlatformScpOptions"/>. The defaults are the GP card's.
/// </summary>
public sealed class PlatformScpGateSettings
{
    /// <summary>
    /// Gets a value indicating whether the card checks "platform SCP required" itself, so the gate lets plain commands
    /// through to it (the SE05x IoT applet refuses them, but SELECT and the card manager still answer: AN12413
    /// SetPlatformSCPRequest). False: the gate refuses every plain command with '6982'.
    /// </summary>
    public bool CardEnforcesRequirement { get; init; }

    /// <summary>Gets the largest command data field (as received, wrapped) the card's APDU buffer takes; 0 for no limit.</summary>
    public int MaxCommandData { get; init; }

    /// <summary>Gets a value indicating whether the encryption counter counts only commands with data (SE050, applet 3.x).</summary>
    public bool CountCommandsWithDataOnly { get; init; }
}
