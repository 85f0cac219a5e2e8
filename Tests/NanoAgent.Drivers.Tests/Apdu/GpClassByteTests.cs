using CsCheck;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Tests.Apdu;

public class GpClassByteTests
{
    // GPC v2.3.1 §11.1.4 over ISO/IEC 7816-4 §5.4.1: '80'-'83' / '84'-'87' on channels 0-3, 'C0'-'CF' / 'E0'-'EF' on 4-19.
    [Theory]
    [InlineData(0x80, 0, 0x80)]
    [InlineData(0x84, 1, 0x85)]
    [InlineData(0x84, 3, 0x87)]
    [InlineData(0x84, 4, 0xE0)]
    [InlineData(0x84, 19, 0xEF)]
    [InlineData(0x80, 19, 0xCF)]
    [InlineData(0xE5, 0, 0x84)]
    [InlineData(0xE5, 2, 0x86)]
    [InlineData(0x00, 5, 0x41)]
    [InlineData(0x04, 5, 0x61)]
    [InlineData(0x61, 1, 0x05)]
    [InlineData(0x90, 7, 0xD3)]
    public void OnChannel_MovesChannelKeepsClassChainingAndSecureMessaging(int cla, int channel, int expected)
    {
        byte moved = GpClassByte.OnChannel((byte)cla, channel);

        Assert.Equal(expected, moved);
        Assert.Equal(channel, LogicalChannel.Of(moved));
    }

    [Theory]
    [InlineData(0xFF)]
    [InlineData(0x20)]
    [InlineData(0x3F)]
    [InlineData(0xA4)]
    [InlineData(0xBF)]
    [InlineData(0x08)] // ISO SM, header not authenticated: not GP's, and '0C' cannot go on channels 4-19
    [InlineData(0x8C)]
    [InlineData(0x94)] // proprietary, chained, secured: 'FF' on channel 19
    [InlineData(0xF0)]
    public void OnChannel_ClassGpDoesNotDefine_Invalid(int cla)
    {
        Assert.False(GpClassByte.IsValid((byte)cla));
        Assert.Equal(ApduError.InvalidField, Assert.Throws<ApduException>(() => GpClassByte.OnChannel((byte)cla, 1)).Error);
    }

    [Theory]
    [InlineData(0x84, 0x84)]
    [InlineData(0x87, 0x84)]
    [InlineData(0xE0, 0x84)] // channel 4: MACed as the basic channel's class byte (Amd D §6.2.4)
    [InlineData(0xEF, 0x84)] // channel 19
    [InlineData(0x80, 0x84)] // the SM bit is set for the MAC
    [InlineData(0x05, 0x04)]
    [InlineData(0x6A, 0x04)]
    [InlineData(0x14, 0x14)] // chaining kept
    [InlineData(0x8C, 0x8C)] // b4 kept: covered by the MAC
    public void ForCommandMac_ChannelZeroAndSecureMessagingSet(int cla, int expected)
    {
        Assert.Equal(expected, GpClassByte.ForCommandMac((byte)cla));
    }

    [Fact]
    public void Property_OnAnyChannel_MacClassUnchanged_ClassKept()
    {
        Gen.Select(Gen.Byte, Gen.Int[0, 19]).Where((cla, _) => GpClassByte.IsValid(cla)).Sample((cla, channel) =>
        {
            byte moved = GpClassByte.OnChannel(cla, channel);
            Assert.True(GpClassByte.IsValid(moved));
            Assert.Equal(channel, LogicalChannel.Of(moved));
            Assert.Equal(GpClassByte.HasSecureMessaging(cla), GpClassByte.HasSecureMessaging(moved));
            Assert.Equal(cla & 0x90, moved & 0x90);
            Assert.Equal(GpClassByte.ForCommandMac(cla), GpClassByte.ForCommandMac(moved));
            Assert.Equal(cla, GpClassByte.OnChannel(moved, LogicalChannel.Of(cla)));
        });
    }
}
