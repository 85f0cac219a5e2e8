namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// An applet that keeps state in RAM, as a Java Card applet keeps it in CLEAR_ON_RESET transient arrays (JCRE spec
/// §5.1): <see cref="CardManager.Reset"/> clears it; persistent state stays.
/// </summary>
public interface IVolatileStateApplet
{
    /// <summary>Forgets everything held in RAM, as a card reset or power loss does.</summary>
    void ClearOnReset();
}
