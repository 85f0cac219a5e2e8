using CsCheck;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;

namespace NanoAgent.Drivers.Tests.Crypto;

public class CbcCipherTests
{
    [Fact]
    public void Encrypt_NistSp800_38aF21_MatchesPublishedCiphertext()
    {
        // NIST SP 800-38A F.2.1 CBC-AES128.Encrypt, first two blocks.
        var key = Hex.Parse("2B7E151628AED2A6ABF7158809CF4F3C");
        var cbc = new CbcCipher(new BouncyCastleAes(key, 0, 16));
        byte[] iv = Hex.Parse("000102030405060708090A0B0C0D0E0F");
        byte[] data = Hex.Parse("6BC1BEE22E409F96E93D7E117393172A AE2D8A571E03AC9C9EB76FAC45AF8E51");

        cbc.Encrypt(iv, 0, data, 0, data.Length);

        Assert.Equal("7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2", Hex.Of(data));
    }

    [Fact]
    public void Decrypt_AfterEncrypt_GivesPlaintext()
    {
        Gen.Select(Gen.Byte.Array[16], Gen.Byte.Array[16], Gen.Int[0, 8]).Sample((key, iv, blocks) =>
        {
            var cbc = new CbcCipher(new BouncyCastleAes(key, 0, 16));
            byte[] plain = new byte[blocks * 16];
            Random.Shared.NextBytes(plain);
            byte[] data = (byte[])plain.Clone();

            cbc.Encrypt(iv, 0, data, 0, data.Length);
            cbc.Decrypt(iv, 0, data, 0, data.Length);

            Assert.Equal(plain, data);
        }, iter: 300);
    }

    [Fact]
    public void Encrypt_PartialBlock_Throws()
    {
        var cbc = new CbcCipher(new BouncyCastleAes(new byte[16], 0, 16));
        Assert.Throws<ArgumentException>(() => cbc.Encrypt(new byte[16], 0, new byte[17], 0, 17));
    }
}
