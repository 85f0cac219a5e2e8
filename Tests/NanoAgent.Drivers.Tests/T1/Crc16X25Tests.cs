using System.Text;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Tests.T1;

public class Crc16X25Tests
{
    [Fact]
    public void Compute_CheckString_Gives906E()
    {
        // CRC catalogue check value for CRC-16/X-25 (a.k.a. CRC-16/IBM-SDLC).
        byte[] data = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0x906E, Crc16X25.Compute(data, 0, data.Length));
    }

    [Theory]
    // UM11225 frames (CRC low byte first): RESYNCH request, soft reset, GET ATR, END OF APDU SESSION, R-ACK N(R)=1.
    [InlineData("5AC000", 0xFCFF)]
    [InlineData("5ACF00", 0x7F37)]
    [InlineData("5AC700", 0xB1F7)]
    [InlineData("5AC500", 0x8247)]
    [InlineData("5A9000", 0x2F08)]
    // GPC_SPE_172 frames (CRC high byte first): RESYNCH, CIP, RELEASE, SWR.
    [InlineData("21C00000", 0x65AC)]
    [InlineData("21C40000", 0x06CD)]
    [InlineData("21C60000", 0xB375)]
    [InlineData("21CF0000", 0x2F6B)]
    public void Compute_PublishedFrames_MatchTheirCrc(string prologue, int crc)
    {
        byte[] data = Hex.Parse(prologue);
        Assert.Equal(crc, Crc16X25.Compute(data, 0, data.Length));
    }

    [Fact]
    public void Compute_HonoursOffsetAndCount()
    {
        byte[] data = Hex.Parse("FFFF 5AC000 FFFF");
        Assert.Equal(0xFCFF, Crc16X25.Compute(data, 2, 3));
    }
}
