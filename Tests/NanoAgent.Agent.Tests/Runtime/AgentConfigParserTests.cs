using CsCheck;
using NanoAgent.Agent.Runtime;
using NanoAgent.Drivers.Host.Crypto;

namespace NanoAgent.Agent.Tests.Runtime;

public class AgentConfigParserTests
{
    private const string Minimal = "device.id = dev1\nbroker.host = 10.0.0.2\ntenant = acme A0000001515350410A 1\n";

    [Fact]
    public void Parse_FullExample_ReadsEverySetting()
    {
        AgentConfig c = AgentConfigParser.Parse("""
            # comment
            device.id = dev-7
            board = nucleo-f746zg
            wifi.ssid = Lab Net
            wifi.password = p=ss#word
            broker.host = mqtt.lab
            broker.tls = true
            broker.user = agent
            broker.password = s3cret
            tenant = acme A0000001515350410A 1 4096
            tenant = beta A0000001515350410B 2
            gate.acme = F06E616E6F47410A
            sensor.meter = acme
            actuator.valve = acme
            se.protocol = gp
            platform.keys = I:\platform.keys
            publish.period_ms = 15000
            watchdog.offline_ms = 120000
            """);

        Assert.Equal("dev-7", c.DeviceId);
        Assert.Equal("nucleo-f746zg", c.BoardId);
        Assert.Equal("Lab Net", c.WifiSsid);
        Assert.Equal("p=ss#word", c.WifiPassword); // '=' and '#' inside a value are kept
        Assert.True(c.BrokerTls);
        Assert.Equal(8883, c.BrokerPort); // TLS default
        Assert.Equal("gp", c.Protocol);
        Assert.Equal(@"I:\platform.keys", c.PlatformKeyFile);
        Assert.Equal(2, NanoAgent.Agent.Tenants.TenantRegistry.Parse(c.TenantsText).Count);
        Assert.Equal("acme", c.GateTenantAt(0));
        Assert.Equal("F06E616E6F47410A", Hex.Of(c.GateAidAt(0)));
        Assert.Equal(["acme"], c.SensorTenantsAt(0));
        Assert.Equal("valve", c.ActuatorIdAt(0));
        Assert.Equal(15000, c.PublishPeriodMs);
        Assert.Equal(120000, c.OfflineLimitMs);
        Assert.Equal(1883, AgentConfigParser.Parse(Minimal).BrokerPort);
    }

    [Theory]
    [InlineData(Minimal + "just words\n", AgentConfigError.Syntax, 4)]
    [InlineData(Minimal + "brokr.host = x\n", AgentConfigError.UnknownKey, 4)]
    [InlineData(Minimal + "broker.port = 70000\n", AgentConfigError.BadValue, 4)]
    [InlineData(Minimal + "broker.tls = maybe\n", AgentConfigError.BadValue, 4)]
    [InlineData(Minimal + "\n\ndevice.id = dev2\n", AgentConfigError.Duplicate, 6)]
    [InlineData(Minimal + "tenant = beta A0000001515350410A 2\n", AgentConfigError.BadValue, 4)] // same SD AID as acme
    [InlineData(Minimal + "gate.acme = F06E\n", AgentConfigError.BadValue, 4)]
    [InlineData(Minimal + "se.protocol = t0\n", AgentConfigError.BadValue, 4)]
    [InlineData(Minimal + "actuator.valve = acme beta\n", AgentConfigError.BadValue, 4)]
    [InlineData("device.id = has space\n", AgentConfigError.BadValue, 1)]
    [InlineData("device.id = dev1\ntenant = acme A0000001515350410A 1\n", AgentConfigError.Missing, 0)]
    public void Parse_BadText_NamesTheErrorAndLine(string text, AgentConfigError error, int line)
    {
        var e = Assert.Throws<AgentConfigException>(() => AgentConfigParser.Parse(text));

        Assert.Equal(error, e.Error);
        Assert.Equal(line, e.Line);
        if (line > 0)
        {
            Assert.StartsWith($"line {line}: ", e.Message);
        }
    }

    [Fact]
    public void Parse_RandomText_ThrowsOnlyConfigErrors()
    {
        Gen<string> key = Pick("device.id", "broker.host", "broker.port", "tenant", "gate.a", "sensor.s", "actuator.x", "se.protocol", "loop.period_ms", "#", "", "x");
        Gen<string> value = Gen.OneOf(Gen.String[0, 20], Pick("a A0000001515350410A 1", "12", "true", "F06E616E6F47410A", "gp"));
        Gen<string> sep = Pick(" = ", "=", " ");
        Gen<string> line = key.SelectMany(k => sep.SelectMany(s => value.Select(v => k + s + v)));
        Gen.OneOf(line.Array[0, 12].Select(ls => string.Join("\n", ls)), Gen.String[0, 300]).Sample(text =>
        {
            try
            {
                AgentConfigParser.Parse(text);
            }
            catch (AgentConfigException)
            {
            }
        }, iter: 2000);
    }

    private static Gen<string> Pick(params string[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    [Fact]
    public void PlatformKeyText_ParsesKeySet_AndRefusesMismatchedLengths()
    {
        const string k = "404142434445464748494A4B4C4D4E4F";
        var keys = PlatformKeyText.Parse($"kvn = 01\nenc = {k}\nmac = {k}\ndek = {k}\n", BouncyCastleAesFactory.Instance);
        Assert.Equal(0x01, keys.KeyVersion);
        Assert.DoesNotContain(k, keys.ToString(), StringComparison.OrdinalIgnoreCase); // KCV only

        var e = Assert.Throws<AgentConfigException>(() =>
            PlatformKeyText.Parse($"kvn = 01\nenc = {k}\nmac = {k}00000000000000000000000000000000\ndek = {k}\n", BouncyCastleAesFactory.Instance));
        Assert.Equal(AgentConfigError.BadValue, e.Error);
        Assert.Equal(AgentConfigError.Missing, Assert.Throws<AgentConfigException>(() => PlatformKeyText.Parse($"enc = {k}", BouncyCastleAesFactory.Instance)).Error);
        Gen.String[0, 200].Sample(text =>
        {
            try
            {
                PlatformKeyText.Parse(text, BouncyCastleAesFactory.Instance);
            }
            catch (AgentConfigException)
            {
            }
        }, iter: 2000);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    public void PlatformKeyText_LongerKeysThanThePlatformRuns_RefusedAtParseWithPlainWords(int length)
    {
        string k = string.Concat(Enumerable.Repeat("4F", length));
        string text = $"kvn = 01\nenc = {k}\nmac = {k}\ndek = {k}\n";
        Assert.Equal(0x01, PlatformKeyText.Parse(text, BouncyCastleAesFactory.Instance).KeyVersion);

        // nanoFramework's native Aes runs AES-128 only (device README): the firmware passes 16.
        var e = Assert.Throws<AgentConfigException>(() => PlatformKeyText.Parse(text, BouncyCastleAesFactory.Instance, 16));
        Assert.Equal(AgentConfigError.BadValue, e.Error);
        Assert.Contains($"AES-{length * 8}", e.Message);
        Assert.Contains("only up to AES-128", e.Message);
        Assert.Contains("32 hex digits", e.Message);
    }

    [Fact]
    public void PlatformKeyText_Aes128_AcceptedWhenThePlatformRunsOnlyAes128()
    {
        string k = string.Concat(Enumerable.Repeat("4F", 16));
        Assert.Equal(0x01, PlatformKeyText.Parse($"kvn = 01\nenc = {k}\nmac = {k}\ndek = {k}\n", BouncyCastleAesFactory.Instance, 16).KeyVersion);
    }
}

public class LabLinkConfigTests
{
    private const string Base = "device.id = d\nbroker.host = h\ntenant = acme A0000001515350410A 1\n";

    [Fact]
    public void LabLines_SetTheBoardLink()
    {
        AgentConfig config = AgentConfigParser.Parse(Base + "lab.port = COM2\nlab.baud = 921600\nlab.rx_pin = 16\nlab.tx_pin = 17\n");
        Assert.Equal("COM2", config.Lab.Port);
        Assert.Equal(921600, config.Lab.Baud);
        Assert.Equal(16, config.Lab.RxPin);
        Assert.Equal(17, config.Lab.TxPin);
    }

    [Fact]
    public void NoLabPort_NoBoardLink()
    {
        Assert.Null(AgentConfigParser.Parse(Base).Lab.Port);
    }

    [Theory]
    [InlineData("lab.port = /dev/ttyS0")]
    [InlineData("lab.port = COMx")]
    [InlineData("lab.baud = 12")]
    [InlineData("lab.rx_pin = 99")]
    [InlineData("lab.speed = 9600")]
    public void BadLabLine_IsRefusedWithItsLine(string line)
    {
        AgentConfigException e = Assert.Throws<AgentConfigException>(() => AgentConfigParser.Parse(Base + line + "\n"));
        Assert.Equal(4, e.Line);
    }
}
