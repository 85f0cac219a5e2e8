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

    /// <summary>Gets or sets the I2C clock the bus starts at, in kHz.</summary>
    public int SpeedKhz { get; set; } = 400;

    /// <summary>
    /// Gets or sets the clock above which the wiring is too poor for clean frames: every SE answer gets a flipped bit while
    /// the bus runs faster than this. Zero means clean at every speed.
    /// </summary>
    public int CorruptAboveKhz { get; set; }

    /// <summary>
    /// Gets or sets whether a read while the SE has nothing to send is acknowledged and answered with 0xFF. A real SE05x
    /// refuses such reads; this makes the SE visible to an address scan for demos of a wrong address.
    /// </summary>
    public bool AcknowledgeIdleReads { get; set; }
}
