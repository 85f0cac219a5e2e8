using NanoAgent.Drivers.Diagnostics;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Drivers.Tests.Diagnostics;

public class WiringDiagnosticsTests
{
    private static string Messages(DiagnosticReport report) =>
        string.Join("\n", Enumerable.Range(0, report.Count).Select(i => $"{report[i].Severity} {report[i].Code}: {report[i].Message}"));

    [Theory]
    [InlineData(VirtualSeProtocol.Se05xI2c, "se05x", "SE05x")]
    [InlineData(VirtualSeProtocol.GpI2c, "gp", "GP")]
    public void Run_HealthySe_PassesEveryCheckAndMeasuresRoundTrips(VirtualSeProtocol protocol, string host, string name)
    {
        var rig = new DiagRig(protocol, hostProtocol: host);

        DiagnosticReport report = rig.Run();

        Assert.True(report.Passed, Messages(report));
        Assert.Equal(DiagnosticSeverity.Info, report.Worst); // the scan line; an idle SE refuses reads so it is not listed
        Assert.Empty(report.FoundAddresses);
        Assert.Contains(name, report.ProtocolName);
        Assert.NotNull(report.InterfaceBytes);
        Assert.True(report.Ifsc > 0);
        Assert.Equal(5, report.EchoCount);
        Assert.Equal(0, report.EchoErrors);
        Assert.Equal(0, report.EchoRetries);
        Assert.InRange(report.MinRoundTripMs, 0, report.AverageRoundTripMs);
        Assert.InRange(report.MaxRoundTripMs, report.AverageRoundTripMs, 1000);
        Assert.Contains("5 APDU round trips, no errors", Messages(report));
    }

    [Fact]
    public void Run_NoDevice_SaysCheckWiringPullUpsAndPower()
    {
        var rig = new DiagRig();
        rig.Se.Target.Faults.Absent = true;

        DiagnosticReport report = rig.Run();

        Assert.False(report.Passed);
        Assert.True(report.Has(DiagnosticCode.NoAck), Messages(report));
        Assert.Contains("no ACK at 0x48: check SDA/SCL wiring, pull-ups and power", Messages(report));
    }

    [Fact]
    public void Run_SeAtAnotherAddress_SaysWrongAddress()
    {
        var rig = new DiagRig(bus: new VirtualBusOptions { Address = 0x49, AcknowledgeIdleReads = true });

        DiagnosticReport report = rig.Run();

        Assert.False(report.Passed);
        Assert.Equal([0x49], report.FoundAddresses);
        Assert.True(report.Has(DiagnosticCode.WrongAddress), Messages(report));
        Assert.Contains("device at 0x49, not 0x48: wrong address?", Messages(report));
    }

    [Fact]
    public void Run_SeNacksEveryRead_SaysHeldInResetOrBusy()
    {
        var rig = new DiagRig();
        rig.Se.Target.Faults.StuckNack = true;

        DiagnosticReport report = rig.Run();

        Assert.False(report.Passed);
        Assert.True(report.Has(DiagnosticCode.StuckNack), Messages(report));
        Assert.Contains("the SE NACKs forever: held in reset or busy — check the ENA/RST pin", Messages(report));
    }

    [Theory]
    [InlineData(VirtualSeProtocol.GpI2c, "se05x", "gp")]
    [InlineData(VirtualSeProtocol.Se05xI2c, "gp", "se05x")]
    public void Run_SeSpeaksTheOtherProtocol_SaysWhichToUse(VirtualSeProtocol protocol, string host, string suggestion)
    {
        var rig = new DiagRig(protocol, hostProtocol: host);

        DiagnosticReport report = rig.Run();

        Assert.False(report.Passed);
        Assert.True(report.Has(DiagnosticCode.WrongProtocol), Messages(report));
        Assert.Contains("wrong protocol? try --protocol " + suggestion, Messages(report));
    }

    [Fact]
    public void Run_SeResetsOnEveryApdu_SaysBrownOutOrResetLine()
    {
        var rig = new DiagRig();
        rig.Se.Target.Faults.ResetOnIBlocks = true;

        DiagnosticReport report = rig.Run();

        Assert.False(report.Passed);
        Assert.True(report.Has(DiagnosticCode.ResetUnderLoad), Messages(report));
        Assert.Contains("ENA/RST pin", Messages(report));
    }

    [Fact]
    public void Run_CorruptAboveFastMode_WithoutSweep_SaysCrcErrors()
    {
        var rig = new DiagRig(bus: new VirtualBusOptions { SpeedKhz = 1000, CorruptAboveKhz = 400 });

        DiagnosticReport report = rig.Run();

        Assert.False(report.Passed);
        Assert.True(report.Has(DiagnosticCode.CrcErrors), Messages(report));
        Assert.Contains("at 1000 kHz", Messages(report));
    }

    [Fact]
    public void Run_CorruptAboveFastMode_WithSweep_SaysSignalIntegrityAndRestoresSpeed()
    {
        var rig = new DiagRig(bus: new VirtualBusOptions { SpeedKhz = 1000, CorruptAboveKhz = 400 });

        DiagnosticReport report = rig.Run(sweep: true);

        Assert.False(report.Passed);
        Assert.True(report.Has(DiagnosticCode.SpeedDependentErrors), Messages(report));
        Assert.Contains("CRC errors at 1000 kHz but not at 100, 400 kHz: signal integrity (wire length, pull-ups)", Messages(report));
        Assert.Equal(1000, rig.Se.I2c!.SpeedKhz);
    }

    [Fact]
    public void Run_Sweep_CleanEverywhere_Passes()
    {
        var rig = new DiagRig();

        DiagnosticReport report = rig.Run(sweep: true);

        Assert.True(report.Passed, Messages(report));
        Assert.Contains("frames are clean at 100, 400, 1000 kHz", Messages(report));
    }

    [Fact]
    public void Run_Sweep_RecordsWhatEachSpeedMeasured()
    {
        var rig = new DiagRig(bus: new VirtualBusOptions { SpeedKhz = 1000, CorruptAboveKhz = 400 });

        DiagnosticReport report = rig.Run(sweep: true);

        // The sweep tries 100, 400 and 1000 kHz (WiringDiagnosticsOptions.SweepSpeedsKhz), in that order.
        Assert.Equal(3, report.SweepPointCount);
        SweepPoint[] points = [.. Enumerable.Range(0, 3).Select(report.GetSweepPoint)];
        Assert.Equal([100, 400, 1000], points.Select(p => p.SpeedKhz));
        foreach (SweepPoint clean in points[..2])
        {
            Assert.True(clean.Clean);
            Assert.Equal(rig.Options.SweepEchoCount, clean.Tried);
            Assert.Equal(0, clean.Errors);
            Assert.InRange(clean.MinRoundTripMs, 0, clean.AverageRoundTripMs);
            Assert.InRange(clean.MaxRoundTripMs, clean.AverageRoundTripMs, 1000);
        }

        // Every answer is corrupt above 400 kHz: the protocol never opens, so nothing is timed there.
        Assert.False(points[2].Opened);
        Assert.False(points[2].Clean);
        Assert.Equal(0, points[2].Tried);
        Assert.Equal(-1, points[2].AverageRoundTripMs);
    }

    [Fact]
    public void Run_WithoutSweep_RecordsNoSweepPoints()
    {
        Assert.Equal(0, new DiagRig().Run().SweepPointCount);
    }

    [Fact]
    public void Run_SpeedAdvice_SaysHowToSetTheSpeedItRecommends()
    {
        var rig = new DiagRig(bus: new VirtualBusOptions { SpeedKhz = 1000, CorruptAboveKhz = 400 });
        rig.Options.SpeedAdvice = new OptionAdvice();

        string swept = Messages(rig.Run(sweep: true));
        Assert.Contains("run the bus at 400 kHz (--speed 400)", swept);

        var unswept = new DiagRig(bus: new VirtualBusOptions { SpeedKhz = 1000, CorruptAboveKhz = 400 });
        unswept.Options.SpeedAdvice = new OptionAdvice();
        Assert.Contains("lower the bus speed (--speed 400) or run the speed sweep", Messages(unswept.Run()));
    }

    [Fact]
    public void Run_NoSpeedAdvice_NamesOnlyTheSpeed()
    {
        var rig = new DiagRig(bus: new VirtualBusOptions { SpeedKhz = 1000, CorruptAboveKhz = 400 });

        string messages = Messages(rig.Run(sweep: true));

        Assert.Contains("run the bus at 400 kHz", messages);
        Assert.DoesNotContain("(--speed", messages);
    }

    [Fact]
    public void Run_StuckBus_SaysLineHeldLow()
    {
        var rig = new DiagRig();
        rig.Segment.Stuck = true;

        DiagnosticReport report = rig.Run();

        Assert.False(report.Passed);
        Assert.True(report.Has(DiagnosticCode.BusStuck), Messages(report));
    }

    [Fact]
    public void Run_OneSeFrameCorrupt_RecoversAndCountsRetry()
    {
        var rig = new DiagRig();
        rig.Se.Target.HostFrame += frame =>
        {
            // Corrupt the answer to the first I-block only: the host asks again, the echo still succeeds.
            if ((frame[1] & 0x80) == 0 && rig.Se.Target.Faults.Fired == 0)
            {
                rig.Se.Target.Faults.CorruptNextSeFrameAt = 3;
            }
        };

        DiagnosticReport report = rig.Run();

        Assert.True(report.Passed, Messages(report));
        Assert.Equal(0, report.EchoErrors);
        Assert.True(report.EchoRetries > 0, Messages(report));
        Assert.Equal(DiagnosticSeverity.Warning, report.Worst);
    }

    private sealed class OptionAdvice : IBusSpeedAdvice
    {
        public string HowToSet(int khz) => "--speed " + khz;
    }
}
