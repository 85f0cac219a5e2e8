namespace NanoAgent.VirtualSe.Bus;

/// <summary>Behaviour of a virtual bus target that is not a fault.</summary>
public sealed class VirtualBusOptions
{
    /// <summary>Gets or sets the 7-bit I2C address.</summary>
    public int Address { get; set; } = 0x48;

    /// <summary>Gets or sets how many reads after each host frame the SE refuses while it "computes" (real SEs do this).</summary>
    public int BusyPolls { get; set; } = 1;

    /// <summary>Gets or sets the byte an SPI target clocks out when it has nothing to send.</summary>
    public byte SpiFiller { get; set; } = 0x00;
}
