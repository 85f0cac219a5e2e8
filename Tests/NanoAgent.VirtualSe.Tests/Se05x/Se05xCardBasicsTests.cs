using NanoAgent.Drivers.Se05x;
using NanoAgent.VirtualSe.Se05x;

namespace NanoAgent.VirtualSe.Tests.Se05x;

public class Se05xCardBasicsTests
{
    [Theory]
    [InlineData(3, "0301006FFF010B")]
    [InlineData(7, "0702006FFF010B")]
    public void Select_IotApplet_AnswersSevenVersionBytes(int major, string expected)
    {
        // se05x-facts.md §1 [CN]: SELECT answers major, minor, patch, AppletConfig (2), SecureBox (2), e.g. 030100 6FFF 010B.
        var rig = new Se05xRig(major, select: false);
        Se05xRig.Reply r = rig.Send("00A4040010A0000003965453000000010300000000" + "00");
        Assert.Equal(0x9000, r.Sw);
        Assert.Equal(expected, r.Hex);
        Assert.True(Se05xAppletVersion.TryParse(r.Data, 0, r.Data.Length, out var v));
        Assert.True(v.HasI2cMaster);
    }

    [Fact]
    public void GetVersion_AnswersTag1WithThreeByteLength()
    {
        // se05x-facts.md §1: GetVersion 80 04 00 20 → TAG_1 7 bytes; the chip answers 82 00 nn even for short values [CN].
        var rig = new Se05xRig();
        Se05xRig.Reply r = rig.Send("8004002000");
        Assert.Equal(0x9000, r.Sw);
        Assert.Equal("418200070301006FFF010B", r.Hex);
    }

    [Fact]
    public void Select_UnknownAid_6A82()
    {
        var rig = new Se05xRig();
        Assert.Equal(0x6A82, rig.Send("00A4040005A00000000100").Sw);
    }
}
