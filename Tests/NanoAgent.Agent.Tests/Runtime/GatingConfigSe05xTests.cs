using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Runtime;

namespace NanoAgent.Agent.Tests.Runtime;

/// <summary>docs/se05x.md "Gated readings": the gates file says which card holds the gates, and the gate lines take its form.</summary>
public class GatingConfigSe05xTests
{
    [Fact]
    public void Se05xCard_GateIsLabelAndObjectBlock_AttestedSensorParsed()
    {
        GatingConfig c = GatingConfig.Parse("""
            se.card = se05x
            gate.acme = F06E616E6F47410A 7A0A0000
            sensor.energy = acme
            sensor.energy.source = meter
            sensor.room = acme
            sensor.room.source = attested 44 01 2
            """);

        Assert.Equal(GateCard.Se05x, c.Card);
        Assert.Equal(("acme", "F06E616E6F47410A", 0x7A0A0000u), (c.GateTenantAt(0), Hex.Of(c.GateAidAt(0)), c.GateAuthObjectAt(0)));
        SensorSpec room = c.SensorAt(1);
        Assert.Equal((SensorSource.Attested, 0x44, "01", 2), (room.Source, room.I2cAddress, Hex.Of(room.I2cWrite!), room.I2cReadLength));
    }

    [Fact]
    public void DefaultCard_IsTheGateApplet()
    {
        GatingConfig c = GatingConfig.Parse("gate.acme = F06E616E6F47410A\n");
        Assert.Equal((GateCard.GateApplet, 0u), (c.Card, c.GateAuthObjectAt(0)));
    }

    [Theory]
    [InlineData("se.card = se05x\ngate.acme = F06E616E6F47410A\n", 2, "labelHex authObjectHex")]
    [InlineData("gate.acme = F06E616E6F47410A 7A0A0000\n", 1, "needs 'se.card = se05x' (no se.card line)")]
    [InlineData("se.card = gp\ngate.acme = F06E616E6F47410A 7A0A0000\n", 2, "needs 'se.card = se05x'")]
    [InlineData("se.card = se05x\ngate.acme = F06E616E6F47410A 7A0A0001\n", 2, "ends in 00")]
    [InlineData("se.card = nxp\n", 1, "gp or se05x")]
    [InlineData("gate.acme = F06E616E6F47410A\nsensor.room = acme\nsensor.room.source = attested 44 01 2\n", 2, "se.card = se05x")]
    [InlineData("se.card = se05x\ngate.acme = F06E616E6F47410A 7A0A0000\nsensor.room = acme\nsensor.room.source = attested 80 01 2\n", 4, "08 to 77")]
    [InlineData("se.card = se05x\ngate.acme = F06E616E6F47410A 7A0A0000\nsensor.room = acme\nsensor.room.source = attested 44 01\n", 4, "attested <addrHex>")]
    public void Mismatches_RefusedWithTheLine(string text, int line, string why)
    {
        var e = Assert.Throws<AgentConfigException>(() => GatingConfig.Parse(text));
        Assert.Equal(line, e.Line);
        Assert.Contains(why, e.Message);
    }
}
