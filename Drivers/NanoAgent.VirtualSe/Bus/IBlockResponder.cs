namespace NanoAgent.VirtualSe.Bus;

/// <summary>
/// The card side of a block protocol: takes each frame the host wrote and produces the SE's next frame.
/// </summary>
public interface IBlockResponder
{
    /// <summary>Handles one frame written by the host (possibly corrupt or truncated).</summary>
    /// <param name="frame">The bytes as received.</param>
    /// <param name="output">Buffer for the SE's answer frame.</param>
    /// <returns>Length of the answer written to <paramref name="output"/>; zero when the SE stays silent.</returns>
    int HandleFrame(ReadOnlySpan<byte> frame, Span<byte> output);

    /// <summary>Gets the largest frame the responder can produce, so the bus can size its buffer.</summary>
    int MaxFrameSize { get; }

    /// <summary>Cold reset: the interface forgets sequence numbers and any chain in progress.</summary>
    void PowerOnReset();
}
