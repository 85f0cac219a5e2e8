using CsCheck;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace NanoAgent.Drivers.Tests.Host.Keys;

public class Kdf3DiversificationTests
{
    [Fact]
    public void Derive_GlobalPlatformProPublishedVector_EncMatches()
    {
        // GlobalPlatformPro library/src/test/java/pro/javacard/gp/TestSCP03.java, testKDF3 (ENC of an AES-256 master key).
        byte[] enc = Kdf3Diversification.Derive(Cmac(Hex.Parse(Kdf3Vectors.GppMaster)), Kdf3Diversification.Enc, Hex.Parse(Kdf3Vectors.GppKdd), 32);

        Assert.Equal(Kdf3Vectors.GppEnc, Hex.Of(enc));
    }

    [Theory]
    [InlineData(Kdf3Vectors.GppMaster, Kdf3Vectors.GppKdd, Kdf3Vectors.GppEnc, Kdf3Vectors.GppMac, Kdf3Vectors.GppDek)]
    [InlineData(Kdf3Vectors.LabMaster, Kdf3Vectors.LabKdd, Kdf3Vectors.LabEnc, Kdf3Vectors.LabMac, Kdf3Vectors.LabDek)]
    public void DeriveKeySet_Vectors_AllThreeKeys(string master, string kdd, string enc, string mac, string dek)
    {
        byte[] m = Hex.Parse(master);
        Scp03StaticKeys keys = Kdf3Diversification.DeriveKeySet(BouncyCastleAesFactory.Instance, 0x21, Hex.Parse(kdd), m.Length, (_, input) => Cmac(m)(input));

        Assert.Equal((0x21, enc, mac, dek), (keys.KeyVersion, Hex.Of(keys.Enc), Hex.Of(keys.Mac), Hex.Of(keys.Dek)));
    }

    [Fact]
    public void WriteInput_Layout_CounterZerosKeyTypeSeparatorData()
    {
        byte[] input = new byte[Kdf3Diversification.InputLength];
        Kdf3Diversification.WriteInput(2, Kdf3Diversification.Dek, Hex.Parse("00112233445566778899"), input);

        Assert.Equal("02000000030000112233445566778899", Hex.Of(input));
    }

    [Fact]
    public void Derive_AnyMasterAndData_EqualsBouncyCastleCounterModeKdf()
    {
        // Independent: BouncyCastle's SP 800-108 counter-mode generator, 8-bit counter first, fixed input 00 00 00 k 00 | KDD.
        var gen = Gen.Select(Gen.Int[0, 2].Select(i => new[] { 16, 24, 32 }[i]), Gen.Byte.Array[10], Gen.Byte[1, 3]);
        gen.SelectMany(t => Gen.Byte.Array[t.Item1].Select(master => (master, t.Item2, t.Item3))).Sample(t =>
        {
            (byte[] master, byte[] kdd, byte keyType) = t;
            var generator = new KdfCounterBytesGenerator(new CMac(new AesEngine()));
            generator.Init(new KdfCounterParameters(master, [], [0x00, 0x00, 0x00, keyType, 0x00, .. kdd], 8));
            byte[] expected = new byte[master.Length];
            generator.GenerateBytes(expected, 0, expected.Length);

            Assert.Equal(Hex.Of(expected), Hex.Of(Kdf3Diversification.Derive(Cmac(master), keyType, kdd, master.Length)));
        }, iter: 300);
    }

    [Fact]
    public void Derive_OtherDataOrKeyType_OtherKey()
    {
        Gen.Select(Gen.Byte.Array[16], Gen.Byte.Array[10], Gen.Byte.Array[10]).Where(t => !t.Item2.SequenceEqual(t.Item3)).Sample((master, a, b) =>
        {
            Func<byte[], byte[]> prf = Cmac(master);
            byte[] encA = Kdf3Diversification.Derive(prf, Kdf3Diversification.Enc, a, 16);
            Assert.NotEqual(Hex.Of(encA), Hex.Of(Kdf3Diversification.Derive(prf, Kdf3Diversification.Enc, b, 16)));
            Assert.NotEqual(Hex.Of(encA), Hex.Of(Kdf3Diversification.Derive(prf, Kdf3Diversification.Mac, a, 16)));
            Assert.NotEqual(Hex.Of(encA), Hex.Of(Kdf3Diversification.Derive(prf, Kdf3Diversification.Dek, a, 16)));
        }, iter: 200);
    }

    [Fact]
    public void Derive_BadArguments_AreBugs()
    {
        Func<byte[], byte[]> prf = Cmac(new byte[16]);

        Assert.Throws<ArgumentException>(() => Kdf3Diversification.Derive(prf, 1, new byte[9], 16));
        Assert.Throws<ArgumentException>(() => Kdf3Diversification.Derive(prf, 1, new byte[11], 16));
        Assert.Throws<ArgumentException>(() => Kdf3Diversification.Derive(prf, 1, new byte[10], 20));
        Assert.Throws<ArgumentException>(() => Kdf3Diversification.Derive(_ => new byte[8], 1, new byte[10], 16));
    }

    /// <summary>Our AES-CMAC (over BouncyCastle AES) with a master key, as the file source computes it.</summary>
    internal static Func<byte[], byte[]> Cmac(byte[] master)
    {
        var cmac = new AesCmac(BouncyCastleAesFactory.Instance.CreateAes(master, 0, master.Length));
        return input =>
        {
            byte[] mac = new byte[AesCmac.MacLength];
            cmac.Compute(input, 0, input.Length, mac, 0);
            return mac;
        };
    }
}
