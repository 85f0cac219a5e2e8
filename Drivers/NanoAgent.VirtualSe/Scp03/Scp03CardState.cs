namespace NanoAgent.VirtualSe.Scp03;

/// <summary>
/// Where the card side of an SCP03 session is.
/// </summary>
public enum Scp03CardState
{
    /// <summary>No session: commands pass through unchanged.</summary>
    Closed = 0,

    /// <summary>INITIALIZE UPDATE answered; waiting for EXTERNAL AUTHENTICATE.</summary>
    Initialized = 1,

    /// <summary>Host authenticated: commands are unwrapped and responses wrapped at the agreed security level.</summary>
    Open = 2,
}
