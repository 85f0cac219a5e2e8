using CsCheck;
using NanoAgent.Agent.Runtime;

namespace NanoAgent.Agent.Tests.Runtime;

public class GatingConfigTests
{
    private const string Gates = "gate.acme = F06E616E6F47410A\ngate.beta = F06E616E6F47410B\n";

    [Fact]
    public void Parse_SensorsAndActuatorsWithAttributes_ReadsEveryValue()
    {
        GatingConfig c = GatingConfig.Parse(Gates + """
            # the building's meter, for both tenants, every 30 s
            sensor.energy = acme beta
            sensor.energy.source = meter
            sensor.energy.interval_s = 30
            sensor.cpu = acme
            sensor.cpu.source = command cat /sys/class/thermal/thermal_zone0/temp
            sensor.cpu.unit = m°C
            sensor.room = beta
            sensor.room.source = bme280
            sensor.input = acme
            actuator.relay = acme
            actuator.relay.pin = 17
            actuator.valve = beta
            actuator.valve.command = /usr/local/bin/valve --port 2
            actuator.led = acme
            """);

        Assert.Equal(2, c.GateCount);
        Assert.Equal(4, c.SensorCount);
        SensorSpec energy = c.SensorAt(0);
        Assert.Equal(["acme", "beta"], energy.Tenants);
        Assert.Equal((SensorSource.Meter, "energy", 30000, (string?)null), (energy.Source, energy.SourceArgument, energy.IntervalMs, energy.Unit));
        SensorSpec cpu = c.SensorAt(1);
        Assert.Equal((SensorSource.Command, "cat /sys/class/thermal/thermal_zone0/temp", "m°C", 0), (cpu.Source, cpu.SourceArgument, cpu.Unit, cpu.IntervalMs));
        Assert.Equal(SensorSource.Bme280, c.SensorAt(2).Source);
        Assert.Equal(SensorSource.Platform, c.SensorAt(3).Source);
        Assert.Equal(3, c.ActuatorCount);
        Assert.Equal((ActuatorDrive.Pin, 17, "acme"), (c.ActuatorAt(0).Drive, c.ActuatorAt(0).Pin, c.ActuatorAt(0).Tenant));
        Assert.Equal((ActuatorDrive.Command, "/usr/local/bin/valve --port 2"), (c.ActuatorAt(1).Drive, c.ActuatorAt(1).Command));
        Assert.Equal(ActuatorDrive.Platform, c.ActuatorAt(2).Drive);
    }

    [Fact]
    public void AgentConfigParser_TakesTheSameLines()
    {
        AgentConfig c = AgentConfigParser.Parse("device.id = d\nbroker.host = h\ntenant = acme A0000001515350410A 1\n" + Gates
            + "sensor.t = acme\nsensor.t.source = bme280\nsensor.t.interval_s = 5\nactuator.relay = acme\nactuator.relay.pin = 4\n");

        Assert.Equal(SensorSource.Bme280, c.Gating.SensorAt(0).Source);
        Assert.Equal(5000, c.Gating.SensorAt(0).IntervalMs);
        Assert.Equal("t", c.SensorIdAt(0));
        Assert.Equal(4, c.Gating.ActuatorAt(0).Pin);
    }

    [Theory]
    [InlineData("sensor.energy.source = meter\n", AgentConfigError.Syntax, 3)] // attribute before the declaration
    [InlineData("sensor.e = acme\nsensor.e.source = meter watts\n", AgentConfigError.BadValue, 4)]
    [InlineData("sensor.e = acme\nsensor.e.source = command\n", AgentConfigError.BadValue, 4)]
    [InlineData("sensor.e = acme\nsensor.e.source = bme280 humidity\n", AgentConfigError.BadValue, 4)]
    [InlineData("sensor.e = acme\nsensor.e.interval_s = 0\n", AgentConfigError.BadValue, 4)]
    [InlineData("sensor.e = acme\nsensor.e.interval_s = 86401\n", AgentConfigError.BadValue, 4)]
    [InlineData("sensor.e = acme\nsensor.e.unit = 12345678901234567\n", AgentConfigError.BadValue, 4)]
    [InlineData("sensor.e = acme\nsensor.e.unit =\n", AgentConfigError.BadValue, 4)]
    [InlineData("sensor.e = acme\nsensor.e.unit = V\nsensor.e.unit = A\n", AgentConfigError.Duplicate, 5)]
    [InlineData("sensor.e =\n", AgentConfigError.BadValue, 3)]
    [InlineData("sensor.e = gamma\n", AgentConfigError.BadValue, 3)] // no gate.gamma
    [InlineData("actuator.r = acme\nactuator.r.pin = 4\nactuator.r.command = x\n", AgentConfigError.BadValue, 5)]
    [InlineData("actuator.r = acme\nactuator.r.pin = 1024\n", AgentConfigError.BadValue, 4)]
    [InlineData("actuator.r = acme\nactuator.r.command =\n", AgentConfigError.BadValue, 4)]
    [InlineData("actuator.r = acme beta\n", AgentConfigError.BadValue, 3)]
    [InlineData("actuator.r.pin = 4\n", AgentConfigError.Syntax, 3)]
    [InlineData("actuator.r = zeta\n", AgentConfigError.BadValue, 3)]
    [InlineData("device.id = d\n", AgentConfigError.UnknownKey, 3)] // a gates file holds gating lines only
    [InlineData("gate.acme = F06E616E6F47410A\n", AgentConfigError.Duplicate, 3)]
    public void Parse_BadLine_NamesTheErrorAndLine(string lines, AgentConfigError error, int line)
    {
        var e = Assert.Throws<AgentConfigException>(() => GatingConfig.Parse(Gates + lines));

        Assert.Equal(error, e.Error);
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public void Parse_GeneratedConfiguration_RoundTrips()
    {
        Gen<string> id = Gen.Char["abcxyz019_-"].Array[1, 8].Select(cs => new string(cs));
        Gen<string?> unit = Gen.OneOf(Gen.Const((string?)null), Gen.Char["AVWhk°%"].Array[1, 5].Select(cs => (string?)new string(cs)));
        Gen<int> interval = Gen.Int[0, 86400];
        Gen<(SensorSource, string?)> source = Gen.OneOf(
            Gen.Const((SensorSource.Platform, (string?)null)),
            Gen.OneOf(Gen.Const("energy"), Gen.Const("voltage")).Select(q => (SensorSource.Meter, (string?)q)),
            Gen.Const((SensorSource.Bme280, (string?)null)),
            Gen.String["abc /.-_'\"$"].Where(c => c.Trim().Length > 0).Select(c => (SensorSource.Command, (string?)c.Trim())));
        Gen<(int Drive, int Pin, string Command)> drive = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1023], Gen.String["abc /-"].Where(c => c.Trim().Length > 0).Select(c => c.Trim()));
        var sensor = Gen.Select(id, unit, interval, source, Gen.Bool);
        Gen.Select(sensor.Array[0, 5], Gen.Select(id, drive, Gen.Bool).Array[0, 5]).Sample((sensors, actuators) =>
        {
            var text = new System.Text.StringBuilder(Gates);
            for (int i = 0; i < sensors.Length; i++)
            {
                var (name, u, iv, (kind, arg), both) = sensors[i];
                string sid = name + "s" + i;
                text.Append($"sensor.{sid} = {(both ? "acme, beta" : "beta")}\n");
                if (u is not null) text.Append($"sensor.{sid}.unit = {u}\n");
                if (iv > 0) text.Append($"sensor.{sid}.interval_s = {iv}\n");
                if (kind == SensorSource.Meter) text.Append($"sensor.{sid}.source = meter {arg}\n");
                if (kind == SensorSource.Bme280) text.Append($"sensor.{sid}.source = bme280\n");
                if (kind == SensorSource.Command) text.Append($"sensor.{sid}.source = command {arg}\n");
            }

            for (int i = 0; i < actuators.Length; i++)
            {
                var (name, (d, pin, cmd), acme) = actuators[i];
                string aid = name + "a" + i;
                text.Append($"actuator.{aid} = {(acme ? "acme" : "beta")}\n");
                if (d == 1) text.Append($"actuator.{aid}.pin = {pin}\n");
                if (d == 2) text.Append($"actuator.{aid}.command = {cmd}\n");
            }

            GatingConfig c = GatingConfig.Parse(text.ToString());

            Assert.Equal(sensors.Length, c.SensorCount);
            for (int i = 0; i < sensors.Length; i++)
            {
                var (name, u, iv, (kind, arg), both) = sensors[i];
                SensorSpec s = c.SensorAt(i);
                Assert.Equal(name + "s" + i, s.Id);
                Assert.Equal(both ? ["acme", "beta"] : ["beta"], s.Tenants);
                Assert.Equal(u, s.Unit);
                Assert.Equal(iv * 1000, s.IntervalMs);
                Assert.Equal(kind, s.Source);
                Assert.Equal(arg, s.SourceArgument);
            }

            Assert.Equal(actuators.Length, c.ActuatorCount);
            for (int i = 0; i < actuators.Length; i++)
            {
                var (name, (d, pin, cmd), acme) = actuators[i];
                ActuatorSpec a = c.ActuatorAt(i);
                Assert.Equal((name + "a" + i, acme ? "acme" : "beta", (ActuatorDrive)d), (a.Id, a.Tenant, a.Drive));
                if (d == 1) Assert.Equal(pin, a.Pin);
                if (d == 2) Assert.Equal(cmd, a.Command);
            }
        }, iter: 500);
    }

    [Fact]
    public void Parse_RandomText_ThrowsOnlyConfigErrors()
    {
        Gen<string> key = Gen.OneOf(Gen.Const("gate.acme"), Gen.Const("sensor.s"), Gen.Const("sensor.s.source"), Gen.Const("sensor.s.unit"),
            Gen.Const("sensor.s.interval_s"), Gen.Const("actuator.r"), Gen.Const("actuator.r.pin"), Gen.Const("actuator.r.command"), Gen.Const("sensor."), Gen.String[0, 12]);
        Gen<string> value = Gen.OneOf(Gen.String[0, 20], Gen.Const("acme"), Gen.Const("meter"), Gen.Const("command x"), Gen.Const("12"), Gen.Const("F06E616E6F47410A"));
        Gen<string> line = Gen.Select(key, value).Select((k, v) => k + " = " + v);
        Gen.OneOf(line.Array[0, 10].Select(ls => string.Join("\n", ls)), Gen.String[0, 200]).Sample(text =>
        {
            try
            {
                GatingConfig.Parse(text);
            }
            catch (AgentConfigException)
            {
            }
        }, iter: 2000);
    }
}
