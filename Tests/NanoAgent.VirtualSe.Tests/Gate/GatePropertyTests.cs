using CsCheck;
using NanoAgent.VirtualSe.Tests.Gp;

namespace NanoAgent.VirtualSe.Tests.Gate;

/// <summary>Random commands to a keyed gate always get a status word, never an exception or an internal fault.</summary>
public sealed class GatePropertyTests
{
    [Fact]
    public void RandomCommands_AlwaysAnswerWithAStatusWord()
    {
        var f = new GateFixture().Provision();
        Assert.Equal("9000", f.KeyA());
        var host = new GpHost(f.Card);
        host.Select(GateFixture.GateA);
        byte[] response = new byte[70000];
        Gen.Select(Gen.Byte, Gen.Byte, Gen.Byte, Gen.Byte.Array[0, 255]).Sample((ins, p1, p2, data) =>
        {
            byte[] apdu = [0x80, ins, p1, p2, (byte)data.Length, .. data];
            int n = f.Card.Process(data.Length == 0 ? apdu[..4] : apdu, response);
            Assert.True(n >= 2);
            Assert.NotEqual(0x6F, response[n - 2]);
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void RandomPersonalisationData_IsAnsweredWithAStatusWord()
    {
        var f = new GateFixture().Provision();
        Gen.Byte.Array[1, 200].Sample(data =>
        {
            string sw = f.Key(GateFixture.SsdA, GateFixture.KeysA, GateFixture.GateA, Hex.Of(data));
            Assert.Equal(4, sw.Length);
            Assert.NotEqual("6F00", sw);
        }, iter: 200, threads: 1);
    }
}
