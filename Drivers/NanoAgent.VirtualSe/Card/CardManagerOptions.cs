namespace NanoAgent.VirtualSe.Card;

/// <summary>Options of the virtual card manager.</summary>
public sealed class CardManagerOptions
{
    /// <summary>
    /// Gets or sets the number of logical channels, including the basic channel 0: 1 to 20 (ISO/IEC 7816-4
    /// allows up to 20). Default 4.
    /// </summary>
    public int LogicalChannels { get; set; } = 4;
}
