using NanoAgent.Drivers.Crypto;
using NanoAgent.VirtualSe.Scp03;

namespace NanoAgent.VirtualSe.Card;

/// <summary>Options of the virtual card manager.</summary>
public sealed class CardManagerOptions
{
    /// <summary>
    /// Gets or sets the number of logical channels, including the basic channel 0: 1 to 20 (ISO/IEC 7816-4 §5.4.1 numbers
    /// channels 0 to 19; Java Card RE §4 lets a card offer 1 to 20). Default 20: the basic channel and 19 supplementary
    /// ones, as a Java Card GlobalPlatform card with extended logical channels offers. A card state's own
    /// <see cref="State.CardState.LogicalChannels"/> takes precedence.
    /// </summary>
    public int LogicalChannels { get; set; } = 20;

    /// <summary>
    /// Gets or sets how many consecutive failed EXTERNAL AUTHENTICATE attempts (wrong host cryptogram or C-MAC) block a
    /// key set; a blocked key set answers INITIALIZE UPDATE with '6983' for good (the count and the block are persisted).
    /// Default 3.
    /// </summary>
    public int MaxFailedAuthentications { get; set; } = 3;

    /// <summary>
    /// Gets or sets the SCP03 i parameter of every security domain (GP Amd D §5.1). Default '70': pseudo-random card
    /// challenge (so back ends can precompute scripts), R-MAC and R-ENCRYPTION supported, S8 mode.
    /// </summary>
    public byte Scp03IParameter { get; set; } = 0x70;

    /// <summary>Gets or sets the AES implementation of the card side. Default: the .NET runtime's.</summary>
    public IBlockCipherFactory CipherFactory { get; set; } = DotNetAesFactory.Instance;
}
