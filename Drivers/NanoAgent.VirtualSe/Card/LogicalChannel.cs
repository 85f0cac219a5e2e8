using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// One logical channel (ISO/IEC 7816-4, logical channels): whether it is open, which entry is selected on it, the selected applet's
/// per-channel state, and response bytes still waiting for GET RESPONSE.
/// </summary>
public sealed class LogicalChannel
{
    private byte[] _pending = [];

    internal LogicalChannel(int number)
    {
        Number = number;
    }

    /// <summary>Gets the channel number, 0 (basic) to 19.</summary>
    public int Number { get; }

    /// <summary>Gets a value indicating whether the channel is open.</summary>
    public bool IsOpen { get; internal set; }

    /// <summary>Gets the entry selected on this channel, or null.</summary>
    public RegistryEntry? Selected { get; internal set; }

    /// <summary>
    /// Gets or sets the selected applet's state for this channel (for example a GET STATUS continuation or, later, a
    /// secure channel session). Cleared when the entry is deselected.
    /// </summary>
    public object? AppletState { get; set; }

    /// <summary>Gets the number of response bytes waiting for GET RESPONSE.</summary>
    public int PendingCount { get; private set; }

    internal int PendingOffset { get; set; }

    internal ushort PendingStatus { get; private set; }

    internal byte[] PendingBuffer => _pending;

    /// <summary>Where the last partial-AID SELECT on this channel matched, for P2 "next occurrence".</summary>
    internal byte[]? LastSelectAid { get; set; }

    internal int LastSelectIndex { get; set; } = -1;

    internal void SetPending(ReadOnlySpan<byte> data, ushort finalStatus)
    {
        if (_pending.Length < data.Length)
        {
            _pending = new byte[Math.Max(data.Length, 512)];
        }

        data.CopyTo(_pending);
        PendingOffset = 0;
        PendingCount = data.Length;
        PendingStatus = finalStatus;
    }

    internal void Consume(int count)
    {
        PendingOffset += count;
        PendingCount -= count;
    }

    internal void ClearPending()
    {
        PendingCount = 0;
        PendingOffset = 0;
    }

    internal void Close()
    {
        IsOpen = false;
        Selected = null;
        AppletState = null;
        LastSelectAid = null;
        LastSelectIndex = -1;
        ClearPending();
    }
}
