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

    /// <summary>
    /// Gets a value indicating whether a plain SELECT (CLA 00, INS A4) ends an open platform session and goes to the card
    /// as any plain command does: a new host run on an SE05x starts with a plain SELECT of the applet and then opens its own
    /// platform session, whatever an earlier run left open (NXP middleware ex_sss_boot / sss_se05x_session_open). False:
    /// the open session takes the SELECT as a wrapped command and refuses it.
    /// </summary>
    public bool PlainSelectEndsSession { get; init; }

    /// <summary>Gets the source of the random card challenges; null for the OS generator.</summary>
    public Action<byte[]>? Random { get; init; }
}
