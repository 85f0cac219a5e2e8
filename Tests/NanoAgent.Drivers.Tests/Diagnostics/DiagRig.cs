using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Drivers.Tests.Diagnostics;

/// <summary>A virtual SE on a virtual I2C segment with the wiring diagnostics pointed at an address.</summary>
public sealed class DiagRig
{
    public DiagRig(VirtualSeProtocol seProtocol = VirtualSeProtocol.Se05xI2c, VirtualBusOptions? bus = null, string hostProtocol = "se05x", int expectedAddress = 0x48)
    {
        Se = VirtualSecureElement.Create(seProtocol, busOptions: bus);
        Segment.Attach(Se.I2c!);
        Options = new WiringDiagnosticsOptions { ExpectedAddress = expectedAddress, EchoCount = 5 };
        ISeTransportFactory se05x = new Se05xTransportFactory(null);
        ISeTransportFactory gp = new GpTransportFactory(null);
        Primary = hostProtocol == "gp" ? gp : se05x;
        Other = hostProtocol == "gp" ? se05x : gp;
        ExpectedAddress = expectedAddress;
    }

    public VirtualSecureElement Se { get; }

    public VirtualI2cSegment Segment { get; } = new();

    public VirtualClock Clock { get; } = new();

    public WiringDiagnosticsOptions Options { get; }

    public ISeTransportFactory Primary { get; }

    public ISeTransportFactory Other { get; }

    public int ExpectedAddress { get; }

    public DiagnosticReport Run(bool sweep = false)
    {
        Options.Sweep = sweep;
        II2cBus bus = Segment.Open(ExpectedAddress);
        var diag = new WiringDiagnostics(new I2cFrameLink(bus, ownsBus: true), Primary, Clock, Options)
        {
            ScanBus = Segment,
            SpeedControl = bus.Address == Se.I2c!.Address ? Se.I2c : null,
            AlternativeProtocols = [Other],
        };
        return diag.Run();
    }
}
