using CsCheck;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Tests.Apdu;

public class CommandApduViewTests
{
    [Theory]
    [InlineData("00A40400", 1, 0, 0, false)]
    [InlineData("00B0000000", 2, 0, 256, false)]
    [InlineData("00B0000010", 2, 0, 16, false)]
    [InlineData("00A4040002 3F00", 3, 2, 0, false)]
    [InlineData("00A4040002 3F00 00", 4, 2, 256, false)]
    [InlineData("00B00000 000000", 2, 0, 65536, true)]
    [InlineData("00B00000 000101", 2, 0, 257, true)]
    [InlineData("00D60000 000002 AABB", 3, 2, 0, true)]
    [InlineData("00D60000 000002 AABB 0000", 4, 2, 65536, true)]
    public void TryParse_EachIsoCase_ReadsFields(string hex, int expectedCase, int nc, int ne, bool extended)
    {
        byte[] apdu = Hex.Parse(hex);
        Assert.Equal((ApduError)0, CommandApduView.TryParse(apdu, 0, apdu.Length, out var view));
        Assert.Equal(expectedCase, view.Case);
        Assert.Equal(nc, view.Nc);
        Assert.Equal(ne, view.Ne);
        Assert.Equal(extended, view.IsExtended);
    }

    [Theory]
    [InlineData("00A404")]
    [InlineData("00A4040003 3F00")]
    [InlineData("00D60000 000003 AABB")]
    [InlineData("00D60000 0000")]
    [InlineData("00D60000 000002 AABB 00")]
    public void TryParse_Malformed_ReportsError(string hex)
    {
        byte[] apdu = Hex.Parse(hex);
        Assert.NotEqual((ApduError)0, CommandApduView.TryParse(apdu, 0, apdu.Length, out _));
    }

    [Fact]
    public void TryParse_RandomBytes_NeverThrowsAndStaysInBounds()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            if (CommandApduView.TryParse(bytes, 0, bytes.Length, out var v) == 0)
            {
                Assert.True(v.Nc == 0 || v.DataOffset + v.Nc <= bytes.Length);
            }
        }, iter: 5000);
    }
}
