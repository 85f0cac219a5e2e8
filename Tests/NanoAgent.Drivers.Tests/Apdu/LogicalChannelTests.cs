using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Tests.Apdu;

public class LogicalChannelTests
{
    // ISO/IEC 7816-4 §5.4.1: first interindustry CLA 000x xxcc (channels 0-3), further 01x? cccc (channels 4-19).
    [Theory]
    [InlineData(0x00, 0, 0x00)]
    [InlineData(0x00, 3, 0x03)]
    [InlineData(0x00, 4, 0x40)]
    [InlineData(0x00, 19, 0x4F)]
    [InlineData(0x80, 1, 0x81)]
    [InlineData(0x84, 2, 0x86)]
    [InlineData(0x88, 5, 0xE1)]
    [InlineData(0xE1, 2, 0x8A)]
    [InlineData(0x13, 0, 0x10)]
    [InlineData(0x10, 7, 0x53)]
    [InlineData(0x4F, 1, 0x01)]
    public void Encode_MovesChannelKeepsClassBits(int cla, int channel, int expected)
    {
        byte encoded = LogicalChannel.Encode((byte)cla, channel);
        Assert.Equal(expected, encoded);
        Assert.Equal(channel, LogicalChannel.Of(encoded));
    }

    [Theory]
    [InlineData(0x04, 4)]
    [InlineData(0x0C, 4)]
    [InlineData(0x00, 20)]
    [InlineData(0x00, -1)]
    public void Encode_Inexpressible_ThrowsInvalidField(int cla, int channel)
    {
        var ex = Assert.Throws<ApduException>(() => LogicalChannel.Encode((byte)cla, channel));
        Assert.Equal(ApduError.InvalidField, ex.Error);
    }

    [Theory]
    [InlineData(0x84, 0x00)]
    [InlineData(0x93, 0x03)]
    [InlineData(0xC1, 0x41)]
    [InlineData(0x7F, 0x4F)]
    public void PlainClassFor_DropsSecureMessagingAndChaining(int cla, int expected)
    {
        Assert.Equal(expected, LogicalChannel.PlainClassFor((byte)cla));
    }

    [Fact]
    public void IsChained_ReadsBit5()
    {
        Assert.True(LogicalChannel.IsChained(0x10));
        Assert.True(LogicalChannel.IsChained(0x90));
        Assert.False(LogicalChannel.IsChained(0x84));
    }
}
