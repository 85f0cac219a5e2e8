namespace NanoAgent.VirtualSe.Gate;

/// <summary>The gate's RAM state for one instance's readings: counters up to <see cref="Reserved"/> are saved as reserved.</summary>
internal sealed class ReadingCounterWindow
{
    /// <summary>Gets or sets the last reading counter handed out (or the reservation a reset restarted from).</summary>
    public ulong Last { get; set; }

    /// <summary>Gets or sets the reservation saved in the gate record; counters above <see cref="Last"/> up to it are free.</summary>
    public ulong Reserved { get; set; }
}
