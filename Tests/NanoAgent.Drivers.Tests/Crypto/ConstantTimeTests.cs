using CsCheck;
using NanoAgent.Drivers.Crypto;

namespace NanoAgent.Drivers.Tests.Crypto;

public class ConstantTimeTests
{
    [Fact]
    public void AreEqual_SameBytesAtOffsets_ReturnsTrue()
    {
        Assert.True(ConstantTime.AreEqual(Hex.Parse("FF0102"), 1, Hex.Parse("0102EE"), 0, 2));
    }

    [Fact]
    public void AreEqual_AnySingleBitFlip_ReturnsFalse()
    {
        Gen.Select(Gen.Byte.Array[1, 32], Gen.Int[0, 255], Gen.Int[0, 7]).Sample((a, pos, bit) =>
        {
            byte[] b = (byte[])a.Clone();
            b[pos % b.Length] ^= (byte)(1 << bit);
            Assert.False(ConstantTime.AreEqual(a, 0, b, 0, a.Length));
            Assert.True(ConstantTime.AreEqual(a, 0, (byte[])a.Clone(), 0, a.Length));
        }, iter: 1000);
    }
}
