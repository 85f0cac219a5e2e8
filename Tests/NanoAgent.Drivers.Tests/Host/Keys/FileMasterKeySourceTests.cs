using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Tests.Host.Keys;

public class FileMasterKeySourceTests
{
    private static readonly Scp03StaticKeys LabMaster = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x21, Hex.Parse(Kdf3Vectors.LabMaster));

    [Fact]
    public void KeysFor_OneMasterKey_GivesTheVectorKeysUnderTheFilesKeyVersion()
    {
        using var source = new FileMasterKeySource(LabMaster, "acme-master.keys");

        Scp03StaticKeys keys = source.KeysFor(0x21, Hex.Parse(Kdf3Vectors.LabKdd));

        Assert.Equal((0x21, Kdf3Vectors.LabEnc, Kdf3Vectors.LabMac, Kdf3Vectors.LabDek), (keys.KeyVersion, Hex.Of(keys.Enc), Hex.Of(keys.Mac), Hex.Of(keys.Dek)));
        Assert.Equal(0x21, source.KeyVersion);
    }

    [Fact]
    public void KeysFor_ThreeMasterKeys_EachKeyFromItsOwn()
    {
        byte[] mac = Hex.Parse("000102030405060708090A0B0C0D0E0F"), dek = Hex.Parse("F0E0D0C0B0A090807060504030201000");
        var master = new Scp03StaticKeys(BouncyCastleAesFactory.Instance, 0x05, Hex.Parse(Kdf3Vectors.LabMaster), mac, dek);
        using var source = new FileMasterKeySource(master, "three.keys");
        byte[] kdd = Hex.Parse(Kdf3Vectors.LabKdd);

        Scp03StaticKeys keys = source.KeysFor(0x05, kdd);

        Assert.Equal(Kdf3Vectors.LabEnc, Hex.Of(keys.Enc));
        Assert.Equal(Hex.Of(Kdf3Diversification.Derive(Kdf3DiversificationTests.Cmac(mac), Kdf3Diversification.Mac, kdd, 16)), Hex.Of(keys.Mac));
        Assert.Equal(Hex.Of(Kdf3Diversification.Derive(Kdf3DiversificationTests.Cmac(dek), Kdf3Diversification.Dek, kdd, 16)), Hex.Of(keys.Dek));
    }

    [Fact]
    public void KeysFor_ManyThreadsAtOnce_SameKeysAsOneByOne()
    {
        using var source = new FileMasterKeySource(LabMaster, "acme-master.keys");
        byte[][] kdds = Enumerable.Range(0, 64).Select(i => Enumerable.Range(0, 10).Select(j => (byte)(i * 7 + j)).ToArray()).ToArray();
        string[] serial = kdds.Select(k => source.KeysFor(0x21, k).ToString()).ToArray();

        string[] parallel = new string[kdds.Length];
        Parallel.For(0, kdds.Length, i => parallel[i] = source.KeysFor(0x21, kdds[i]).ToString());

        Assert.Equal(serial, parallel);
        Assert.Equal(kdds.Length, serial.Distinct().Count());
    }

    [Fact]
    public void KeysFor_OtherKeyVersionOrShortData_IsABug()
    {
        using var source = new FileMasterKeySource(LabMaster, "acme-master.keys");

        Assert.Throws<ArgumentException>(() => source.KeysFor(0x22, new byte[10]));
        Assert.Throws<ArgumentException>(() => source.KeysFor(0x21, new byte[8]));
    }

    [Fact]
    public void Description_NamesSchemeFileAndCheckValuesButNoKey()
    {
        using var source = new FileMasterKeySource(LabMaster, "acme-master.keys");

        Assert.Contains("KDF3", source.Description, StringComparison.Ordinal);
        Assert.Contains("acme-master.keys", source.Description, StringComparison.Ordinal);
        Assert.Contains("KCV", source.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("404142", source.Description, StringComparison.OrdinalIgnoreCase);
    }
}
