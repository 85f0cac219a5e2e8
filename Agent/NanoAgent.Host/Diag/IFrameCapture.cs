using NanoAgent.Drivers.Bus;

namespace NanoAgent.Host.Diag;

/// <summary>Receives each whole block-protocol frame <see cref="FrameTraceWriter"/> put together (a pcap capture, for example).</summary>
public interface IFrameCapture : IDisposable
{
    /// <summary>Takes one frame.</summary>
    /// <param name="direction">Which way it went.</param>
    /// <param name="frame">The frame, NAD to CRC.</param>
    /// <param name="milliseconds">The trace clock when it was complete.</param>
    void OnFrame(FrameDirection direction, ReadOnlySpan<byte> frame, long milliseconds);
}
