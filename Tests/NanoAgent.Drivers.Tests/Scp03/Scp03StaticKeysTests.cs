using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Tests.Scp03;

public class Scp03StaticKeysTests
{
    [Fact]
    public void ToString_ShowsCheckValuesAndNeverKeyBytes()
    {
        byte[] enc = Hex.Parse(Scp03KdfTests.Key);
        byte[] mac = Hex.Parse("00112233445566778899AABBCCDDEEFF");
        byte[] dek = Hex.Parse("FFEEDDCCBBAA99887766554433221100");
        var keys = new Scp03StaticKeys(BouncyCastleAesFactory.Instance, 0x30, enc, mac, dek);

        string text = keys.ToString();

        Assert.StartsWith("SCP03 keys KVN 30 AES-128 KCV ENC ", text);
        Assert.Equal(Kcv(enc), text.Substring(text.IndexOf("ENC ") + 4, 6));
        Assert.Equal(Kcv(mac), text.Substring(text.IndexOf("MAC ") + 4, 6));
        Assert.Equal(Kcv(dek), text.Substring(text.IndexOf("DEK ") + 4, 6));
        foreach (var key in new[] { enc, mac, dek })
        {
            Assert.DoesNotContain(Hex.Of(key).Substring(0, 8), text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void GetCheckValues_AesOfSixteenOnes_FirstThreeBytes()
    {
        // GP Card Specification KCV for AES keys: AES-ECB(key, 16 x 01), leftmost 3 bytes.
        byte[] key = Hex.Parse(Scp03KdfTests.Key);
        var keys = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x01, key);
        byte[] kcv = new byte[9];

        keys.GetCheckValues(kcv, 0);

        Assert.Equal(Kcv(key) + Kcv(key) + Kcv(key), Hex.Of(kcv));
    }

    [Theory]
    [InlineData(15, 15)]
    [InlineData(16, 24)]
    [InlineData(33, 33)]
    public void Constructor_BadKeyLengths_ThrowInvalidKey(int encLength, int macLength)
    {
        var ex = Assert.Throws<SecureChannelException>(() =>
            new Scp03StaticKeys(BouncyCastleAesFactory.Instance, 1, new byte[encLength], new byte[macLength], new byte[encLength]));
        Assert.Equal(SecureChannelError.InvalidKey, ex.Error);
    }

    [Fact]
    public void Constructor_CopiesKeys_LaterChangesToCallerArrayDoNotMatter()
    {
        byte[] key = Hex.Parse(Scp03KdfTests.Key);
        var keys = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x30, key);
        string before = keys.ToString();
        key[0] ^= 0xFF;

        var session = Scp03SessionKeys.Derive(keys, Hex.Parse(Scp03KdfTests.HostChallenge), 0, Hex.Parse(Scp03KdfTests.CardChallenge), 0, 8);

        Assert.Equal(before, keys.ToString());
        Assert.Equal("0F1EE990609F3C4E5DF806316763B6C5", Hex.Of(session.EncKey));
    }

    private static string Kcv(byte[] key)
    {
        byte[] block = Enumerable.Repeat((byte)0x01, 16).ToArray();
        new BouncyCastleAes(key, 0, key.Length).EncryptBlock(block, 0, block, 0);
        return Hex.Of(block, 0, 3);
    }
}
