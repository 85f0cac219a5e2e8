using CsCheck;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace NanoAgent.Drivers.Tests.Crypto;

public class AesCmacTests
{
    // NIST SP 800-38B, Appendix D.1 (AES-128) and D.3 (AES-256) examples.
    private const string Key128 = "2B7E151628AED2A6ABF7158809CF4F3C";
    private const string Key256 = "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4";
    private const string Message64 =
        "6BC1BEE22E409F96E93D7E117393172A AE2D8A571E03AC9C9EB76FAC45AF8E51 30C81C46A35CE411E5FBC1191A0A52EF F69F2445DF4F9B17AD2B417BE66C3710";

    [Theory]
    [InlineData(Key128, 0, "BB1D6929E95937287FA37D129B756746")]
    [InlineData(Key128, 16, "070A16B46B4D4144F79BDD9DD04A287C")]
    [InlineData(Key128, 40, "DFA66747DE9AE63030CA32611497C827")]
    [InlineData(Key128, 64, "51F0BEBF7E3B9D92FC49741779363CFE")]
    [InlineData(Key256, 0, "028962F61B7BF89EFC6B551F4667D983")]
    [InlineData(Key256, 16, "28A7023F452E8F82BD4BF28D8C37C35C")]
    [InlineData(Key256, 40, "AAF3D8F1DE5640C232F5B169B9C911E6")]
    [InlineData(Key256, 64, "E1992190549F6ED5696A2C056C315410")]
    public void Compute_NistSp800_38bVectors_MatchPublishedMac(string key, int length, string expected)
    {
        var cmac = new AesCmac(Aes(key));
        byte[] message = Hex.Parse(Message64);
        byte[] mac = new byte[16];

        cmac.Compute(message, 0, length, mac, 0);

        Assert.Equal(expected, Hex.Of(mac));
    }

    [Fact]
    public void Update_InPieces_EqualsOneShot()
    {
        // NIST SP 800-38B D.1, 40-byte message, fed as 1 + 15 + 16 + 8 bytes.
        var cmac = new AesCmac(Aes(Key128));
        byte[] message = Hex.Parse(Message64);
        byte[] mac = new byte[16];

        cmac.Update(message[0]);
        cmac.Update(message, 1, 15);
        cmac.Update(message, 16, 16);
        cmac.Update(message, 32, 8);
        cmac.DoFinal(mac, 0, 16);

        Assert.Equal("DFA66747DE9AE63030CA32611497C827", Hex.Of(mac));
    }

    [Fact]
    public void DoFinal_Truncated_WritesLeadingBytesOnly()
    {
        var cmac = new AesCmac(Aes(Key128));
        byte[] output = new byte[10];
        cmac.Update(Hex.Parse("6BC1BEE22E409F96E93D7E117393172A"), 0, 16);

        cmac.DoFinal(output, 1, 8);

        Assert.Equal("00" + "070A16B46B4D4144" + "00", Hex.Of(output));
    }

    [Fact]
    public void Compute_RandomKeysAndMessages_MatchesBouncyCastleCmac()
    {
        var gen = Gen.Select(Gen.Int[0, 2].SelectMany(k => Gen.Byte.Array[16 + (8 * k)]), Gen.Byte.Array[0, 200]);
        gen.Sample((key, message) =>
        {
            var ours = new AesCmac(new BouncyCastleAes(key, 0, key.Length));
            byte[] mac = new byte[16];
            ours.Compute(message, 0, message.Length, mac, 0);

            var reference = new CMac(new AesEngine());
            reference.Init(new KeyParameter(key));
            reference.BlockUpdate(message, 0, message.Length);
            byte[] expected = new byte[16];
            reference.DoFinal(expected, 0);

            Assert.Equal(Hex.Of(expected), Hex.Of(mac));
        }, iter: 2000);
    }

    private static BouncyCastleAes Aes(string hex)
    {
        byte[] key = Hex.Parse(hex);
        return new BouncyCastleAes(key, 0, key.Length);
    }
}
