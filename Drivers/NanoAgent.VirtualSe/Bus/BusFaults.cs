namespace NanoAgent.VirtualSe.Bus;

/// <summary>
/// Faults a test arms on a virtual bus; each fires once (or for the stated count) and then disarms itself.
/// </summary>
public sealed class BusFaults
{
    /// <summary>Gets or sets whether the device is absent: every transfer is refused (I2C NACK; SPI reads filler).</summary>
    public bool Absent { get; set; }

    /// <summary>Gets or sets how many further reads the SE refuses as busy (I2C NACK, SPI filler) on top of <see cref="VirtualBusOptions.BusyPolls"/>.</summary>
    public int NackPolls { get; set; }

    /// <summary>Gets or sets whether the next frame written by the host is lost before the SE sees it.</summary>
    public bool DropNextHostFrame { get; set; }

    /// <summary>Gets or sets whether the SE's next answer is lost (it is never readable).</summary>
    public bool DropNextSeFrame { get; set; }

    /// <summary>Gets or sets the index of a byte to flip in the next host frame, or -1.</summary>
    public int CorruptNextHostFrameAt { get; set; } = -1;

    /// <summary>Gets or sets the index of a byte to flip in the SE's next answer, or -1.</summary>
    public int CorruptNextSeFrameAt { get; set; } = -1;

    /// <summary>Gets or sets whether the SE resets (power glitch) after receiving the next host frame, before answering it.</summary>
    public bool ResetOnNextHostFrame { get; set; }

    /// <summary>Gets or sets whether the SE acknowledges writes but refuses every read until cleared (held busy or in reset).</summary>
    public bool StuckNack { get; set; }

    /// <summary>Gets or sets whether the SE resets on every I-block until cleared (brown-out when it starts computing).</summary>
    public bool ResetOnIBlocks { get; set; }

    /// <summary>Gets how many faults have fired, for assertions.</summary>
    public int Fired { get; internal set; }
}
