using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Drivers.Host.Bus;
using NanoAgent.Host.Se;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Host.Diag;

/// <summary>Sets up <see cref="WiringDiagnostics"/> for a target, virtual (with an optional injected fault) or real, and runs it.</summary>
public static class DiagRunner
{
    /// <summary>The faults the virtual SE can show for demos and tests.</summary>
    public static readonly string[] Faults = ["none", "absent", "wrong-address", "stuck-nack", "crc", "wrong-protocol", "in-reset", "stuck-bus"];

    /// <summary>Runs the diagnostics.</summary>
    /// <param name="target">Where the SE is.</param>
    /// <param name="options">What to run.</param>
    /// <param name="fault">A fault to inject into the virtual SE ("none" for none); ignored on real hardware.</param>
    /// <param name="trace">Where to report every frame, or null.</param>
    /// <param name="notes">Receives remarks about what could not be run on this platform.</param>
    /// <returns>The report.</returns>
    /// <exception cref="HostBusException">The bus device cannot be opened.</exception>
    public static DiagnosticReport Run(SeTarget target, WiringDiagnosticsOptions options, string fault, IFrameTraceSink? trace, List<string> notes)
    {
        string protocol = target.EffectiveProtocol;
        ISeTransportFactory primary = protocol == "gp" ? new GpTransportFactory(null) : new Se05xTransportFactory(null);
        ISeTransportFactory[] others = target.IsSpi ? [] : [protocol == "gp" ? new Se05xTransportFactory(null) : new GpTransportFactory(null)];
        options.ExpectedAddress = target.Address;
        if (target.IsVirtual)
        {
            return RunVirtual(target, options, fault, trace, primary, others);
        }

        if (options.Sweep)
        {
            // Linux i2c-dev has no call to change the clock: it is set when the controller is probed (Raspberry Pi:
            // dtparam=i2c_arm_baudrate=400000 in config.txt). The same holds for stuck-bus recovery (nine SCL pulses):
            // only the kernel's bus recovery can do it, so neither is faked here.
            notes.Add("speed sweep skipped: Linux i2c-dev cannot change the bus clock at run time; set it in the device tree (e.g. dtparam=i2c_arm_baudrate=100000) and run again");
        }

        if (target.IsSpi)
        {
            using var spi = LinuxSpiBus.Open(target.SpiBus!, target.SpiClockHz);
            var spiLink = SeConnection.Traced(new SpiFrameLink(spi, ownsBus: false), trace, SystemClock.Instance);
            return new WiringDiagnostics(spiLink, primary, SystemClock.Instance, options).Run();
        }

        using var i2c = LinuxI2cBus.Open(target.I2cBus!, target.Address);
        var link = SeConnection.Traced(new I2cFrameLink(i2c, ownsBus: false), trace, SystemClock.Instance);
        return new WiringDiagnostics(link, primary, SystemClock.Instance, options)
        {
            ScanBus = new LinuxI2cBusFactory(target.I2cBus!),
            AlternativeProtocols = others,
        }.Run();
    }

    private static DiagnosticReport RunVirtual(SeTarget target, WiringDiagnosticsOptions options, string fault, IFrameTraceSink? trace, ISeTransportFactory primary, ISeTransportFactory[] others)
    {
        var bus = new VirtualBusOptions { Address = target.Address };
        VirtualSeProtocol kind = target.IsSpi ? VirtualSeProtocol.GpSpi
            : target.EffectiveProtocol == "gp" ? VirtualSeProtocol.GpI2c : VirtualSeProtocol.Se05xI2c;
        switch (fault)
        {
            case "wrong-address":
                bus.Address = target.Address == 0x77 ? 0x76 : target.Address + 1;
                bus.AcknowledgeIdleReads = true;
                break;
            case "crc":
                bus.SpeedKhz = 1000;
                bus.CorruptAboveKhz = 400;
                break;
            case "wrong-protocol" when !target.IsSpi:
                kind = kind == VirtualSeProtocol.GpI2c ? VirtualSeProtocol.Se05xI2c : VirtualSeProtocol.GpI2c;
                break;
        }

        string? dir = Path.GetDirectoryName(target.StatePath);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        // The SE05x card speaks no GP T=1': for the wrong-protocol fault a GP card stands in.
        var vse = target.IsSe05xCard && kind != VirtualSeProtocol.Se05xI2c
            ? VirtualSecureElement.Create(kind, target.StatePath, bus)
            : SeConnection.CreateVirtual(target, kind, bus, null);
        vse.Target.Faults.Absent = fault == "absent";
        vse.Target.Faults.StuckNack = fault == "stuck-nack";
        vse.Target.Faults.ResetOnIBlocks = fault == "in-reset";
        var clock = new VirtualClock();
        if (vse.I2c is null)
        {
            return new WiringDiagnostics(SeConnection.Traced(vse.Link, trace, clock), primary, clock, options).Run();
        }

        var segment = new VirtualI2cSegment { Stuck = fault == "stuck-bus" };
        segment.Attach(vse.I2c);
        using II2cBus at = segment.Open(target.Address);
        var link = SeConnection.Traced(new I2cFrameLink(at, ownsBus: false), trace, clock);
        return new WiringDiagnostics(link, primary, clock, options)
        {
            ScanBus = segment,
            SpeedControl = at.Address == vse.I2c.Address ? vse.I2c : null,
            AlternativeProtocols = others,
        }.Run();
    }
}
