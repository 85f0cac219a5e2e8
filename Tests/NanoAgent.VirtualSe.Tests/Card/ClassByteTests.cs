using NanoAgent.VirtualSe.Card;

namespace NanoAgent.VirtualSe.Tests.Card;

public class ClassByteTests
{
    // ISO/IEC 7816-4 §5.4.1; GPC v2.3.1 §11.1.4 for the b8 = 1 codings.
    [Theory]
    [InlineData(0x00, 0, false, false, false)]
    [InlineData(0x03, 3, false, false, false)]
    [InlineData(0x0C, 0, true, false, false)]
    [InlineData(0x10, 0, false, true, false)]
    [InlineData(0x40, 4, false, false, false)]
    [InlineData(0x4F, 19, false, false, false)]
    [InlineData(0x60, 4, true, false, false)]
    [InlineData(0x80, 0, false, false, true)]
    [InlineData(0x84, 0, true, false, true)]
    [InlineData(0xC1, 5, false, false, true)]
    [InlineData(0xE3, 7, true, false, true)]
    public void TryDecode_ValidClasses(int cla, int channel, bool sm, bool chaining, bool proprietary)
    {
        Assert.True(ClassByte.TryDecode((byte)cla, out ClassByte c));
        Assert.Equal(channel, c.Channel);
        Assert.Equal(sm, c.SecureMessaging);
        Assert.Equal(chaining, c.Chaining);
        Assert.Equal(proprietary, c.IsProprietary);
    }

    [Theory]
    [InlineData(0x20)]
    [InlineData(0x3F)]
    [InlineData(0xA0)]
    [InlineData(0xBF)]
    [InlineData(0xFF)]
    public void TryDecode_RfuAndInvalid_Rejected(int cla)
    {
        Assert.False(ClassByte.TryDecode((byte)cla, out _));
    }
}
