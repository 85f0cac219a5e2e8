using CsCheck;
using NanoAgent.Drivers.Crypto;

namespace NanoAgent.Drivers.Tests.Crypto;

public class BitPaddingTests
{
    [Theory]
    [InlineData("", "80000000000000000000000000000000")]
    [InlineData("0102", "01028000000000000000000000000000")]
    [InlineData("000102030405060708090A0B0C0D0E0F", "000102030405060708090A0B0C0D0E0F80000000000000000000000000000000")]
    public void Pad_Iso9797Method2_AppendsEightyThenZeros(string data, string expected)
    {
        byte[] bytes = Hex.Parse(data);
        byte[] buffer = new byte[BitPadding.PaddedLength(bytes.Length, 16)];
        bytes.CopyTo(buffer, 0);

        int n = BitPadding.Pad(buffer, 0, bytes.Length, 16);

        Assert.Equal(expected, Hex.Of(buffer, 0, n));
        Assert.Equal(bytes.Length, BitPadding.Unpad(buffer, 0, n, 16));
    }

    [Theory]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("01020300000000000000000000000001")]
    [InlineData("80000000000000000000000000000000 00000000000000000000000000000000")]
    public void Unpad_Malformed_ReturnsMinusOne(string hex)
    {
        byte[] bytes = Hex.Parse(hex);
        Assert.Equal(-1, BitPadding.Unpad(bytes, 0, bytes.Length, 16));
    }

    [Fact]
    public void Unpad_RandomBytes_NeverThrowsAndStaysInRange()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            int n = BitPadding.Unpad(bytes, 0, bytes.Length, 16);
            Assert.True(n == -1 || (n >= 0 && n < bytes.Length && bytes[n] == 0x80));
        }, iter: 2000);
    }
}
