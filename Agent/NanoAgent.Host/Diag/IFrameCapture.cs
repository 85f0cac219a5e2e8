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

    /// <summary>Takes a transfer that moved no frame: one the bus refused (an I2C NACK, a timeout), or a read the SE
    /// answered busy (status <see cref="BusTransferStatus.FullTransfer"/>: SPI filler, no NAD). Ignored unless overridden.</summary>
    /// <param name="direction">Which way it went.</param>
    /// <param name="status">What the bus said.</param>
    /// <param name="milliseconds">The trace clock.</param>
    void OnRefused(FrameDirection direction, BusTransferStatus status, long milliseconds)
    {
    }
}
