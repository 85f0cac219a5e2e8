using System.Buffers.Binary;
using CsCheck;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Runtime;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Gate;

public sealed class CommandDriversTests
{
    [Theory]
    [InlineData("21.5\n", 21_500)]
    [InlineData("temp=48312\n", 48_312_000)]
    [InlineData("  -3.0004 C", -3_000)]
    [InlineData("0.0005", 1)]
    [InlineData("load 1.25 2.5", 1_250)]
    public void TryParseMilli_FirstNumber_InThousandths(string output, long milli)
    {
        Assert.True(CommandSensor.TryParseMilli(output, out long got));
        Assert.Equal(milli, got);
    }

    [Fact]
    public void TryParseMilli_AnyDecimal_RoundTripsAndNeverThrows()
    {
        Gen.Long[-9_000_000_000_000, 9_000_000_000_000].Sample(milli =>
        {
            string text = "value: " + (milli / 1000m).ToString(System.Globalization.CultureInfo.InvariantCulture) + " units";
            Assert.True(CommandSensor.TryParseMilli(text, out long got));
            Assert.Equal(milli, got);
        });
        Gen.String.Sample(text => { CommandSensor.TryParseMilli(text, out _); }); // any text: a value or false, never an exception
        Assert.False(CommandSensor.TryParseMilli("no number here", out _));
        Assert.False(CommandSensor.TryParseMilli("99999999999999999999999", out _)); // beyond a long of thousandths
    }

    [Fact]
    public void CommandSensor_ReadsTheValue_OrGivesNoReadingWithAReason()
    {
        var log = new List<string>();
        Reading? r = new CommandSensor("echo 230.25", "V", TimeSpan.FromSeconds(10), log.Add).Read();
        Assert.NotNull(r);
        Assert.Equal("V", r.Unit);
        Assert.Equal(230_250, BinaryPrimitives.ReadInt64BigEndian(r.Value));

        Assert.Null(new CommandSensor("echo broken >&2; exit 3", "V", TimeSpan.FromSeconds(10), log.Add).Read());
        Assert.Contains("exited with 3: broken", log[^1]);
        Assert.Null(new CommandSensor("echo none", "V", TimeSpan.FromSeconds(10), log.Add).Read());
        Assert.Contains("printed no number", log[^1]);
        Assert.Null(new CommandSensor("sleep 30", "V", TimeSpan.FromMilliseconds(300), log.Add).Read());
        Assert.Contains("timed out", log[^1]);
    }

    [Fact]
    public void CommandActuator_PassesTheHexCommandAsOneArgument_AndRefusesOnFailure()
    {
        using var dir = new TempDir();
        var log = new List<string>();
        byte[] result = new byte[64];
        var actuator = new CommandActuator($"printf '%s;' >> '{dir.File("out")}'", TimeSpan.FromSeconds(10), log.Add);

        Assert.Equal(0, actuator.Apply([0x00, 0x01, 0xAB], 0, 3, result, 0));
        Assert.Equal(0, actuator.Apply([0x02], 0, 1, result, 0));
        Assert.Equal("0001AB;02;", File.ReadAllText(dir.File("out")));
        int n = new CommandActuator("echo state", TimeSpan.FromSeconds(10), log.Add).Apply([0x01], 0, 1, result, 0);
        Assert.Equal("state 01", System.Text.Encoding.UTF8.GetString(result, 0, n)); // what it printed is the result
        Assert.Equal(-1, new CommandActuator("exit 1", TimeSpan.FromSeconds(10), log.Add).Apply([0x01], 0, 1, result, 0));
        Assert.Contains("exited with 1", log[^1]);
    }

    [Fact]
    public void GateDrivers_SourcesThatRunOnlyOnTheDevice_AreConfigErrorsNamingTheLine()
    {
        GatingConfig c = GatingConfig.Parse("gate.a = F06E616E6F47410A\nsensor.t = a\nsensor.t.source = bme280\nsensor.u = a\nactuator.r = a\n");
        var e = Assert.Throws<AgentConfigException>(() => GateDrivers.Sensor(c.SensorAt(0), _ => { }));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("device firmware", e.Message);
        Assert.Throws<AgentConfigException>(() => GateDrivers.Sensor(c.SensorAt(1), _ => { }));
        Assert.Throws<AgentConfigException>(() => GateDrivers.Actuator(c.ActuatorAt(0), _ => { }));
        Assert.Equal("kWh", GateDrivers.Sensor(new SensorSpec("m", ["a"], 0) { Source = SensorSource.Meter, SourceArgument = "energy" }, _ => { })!.Read()!.Unit);
        Assert.Equal("Wh", GateDrivers.Sensor(new SensorSpec("m", ["a"], 0) { Source = SensorSource.Meter, SourceArgument = "energy", Unit = "Wh" }, _ => { })!.Read()!.Unit);
    }

    [Fact]
    public void AgentCommand_BadGatesFile_IsAUsageErrorWithTheLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("tenants.txt"), "acme A0000001515350410A 1\n");
        File.WriteAllText(dir.File("gates.conf"), "gate.acme = F06E616E6F47410A\nsensor.t = beta\n");
        CliRun run = CliRun.Of("agent", "--tenants", dir.File("tenants.txt"), "--state", dir.File("se.json"), "--embedded-broker", "0", "--gates", dir.File("gates.conf"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("line 2: 'sensor.t' names tenant 'beta', which has no 'gate.beta'", run.Error);

        File.WriteAllText(dir.File("gates.conf"), "gate.acme = F06E616E6F47410A\nsensor.t = acme\nsensor.t.source = bme280\n");
        run = CliRun.Of("agent", "--tenants", dir.File("tenants.txt"), "--state", dir.File("se.json"), "--no-platform-scp", "--embedded-broker", "0", "--gates", dir.File("gates.conf"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("bme280 is read by the device firmware", run.Error);
    }
}
