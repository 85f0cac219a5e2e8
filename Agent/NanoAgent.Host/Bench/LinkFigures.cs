using NanoAgent.VirtualSe;

namespace NanoAgent.Host.Bench;

/// <summary>Bus and memory figures for one protocol and APDU size, per APDU round trip.</summary>
/// <param name="Protocol">Protocol and bus.</param>
/// <param name="ApduBytes">Command APDU length; the card answers the status word only.</param>
/// <param name="FrameBytes">Bytes of every frame both ways (HostFrame + SeFrame).</param>
/// <param name="MinimumBytes">The protocol's minimum: the I-block chain, the SE's R-block acks and the answer frame, no polls.</param>
/// <param name="RefusedPolls">Reads refused as busy (I2C address NACK) or answered with filler (SPI).</param>
/// <param name="Transactions">Bus transactions, refused ones included.</param>
/// <param name="TransferBytes">Data bytes of every transaction (split reads and SPI filler included; address bytes not).</param>
/// <param name="BusMicros400">Implied bus time at 400 kHz, µs.</param>
/// <param name="BusMicros1000">Implied bus time at 1 MHz, µs.</param>
/// <param name="HostAllocatedBytes">Bytes the host stack allocated, the virtual bus and SE excluded.</param>
/// <param name="VirtualSeAllocatedBytes">Bytes the virtual bus and SE allocated (not on the device).</param>
/// <param name="HostMicros">Wall time of the whole round trip on this machine (host JIT, virtual bus), µs.</param>
public sealed record LinkFigures(
    VirtualSeProtocol Protocol,
    int ApduBytes,
    double FrameBytes,
    int MinimumBytes,
    double RefusedPolls,
    double Transactions,
    double TransferBytes,
    double BusMicros400,
    double BusMicros1000,
    double HostAllocatedBytes,
    double VirtualSeAllocatedBytes,
    double HostMicros)
{
    /// <summary>Gets the protocol minimum over the bytes actually framed, in percent.</summary>
    public double FramingEfficiency => 100.0 * MinimumBytes / FrameBytes;

    /// <summary>Gets the APDU bytes (command and status word) over the bytes actually framed, in percent.</summary>
    public double PayloadEfficiency => 100.0 * (ApduBytes + 2) / FrameBytes;
}
