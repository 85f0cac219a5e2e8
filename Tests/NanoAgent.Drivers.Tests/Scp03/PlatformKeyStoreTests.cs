using CsCheck;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Tests.Scp03;

public sealed class PlatformKeyStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void CreateRandom_ThenLoad_SameKeysAndOwnerOnlyMode()
    {
        string path = Path.Combine(_dir, "sub", "platform-keys.json");
        Scp03StaticKeys created = PlatformKeyStore.CreateRandom(path, BouncyCastleAesFactory.Instance);
        Scp03StaticKeys loaded = PlatformKeyStore.Load(path, BouncyCastleAesFactory.Instance);

        Assert.Equal(0x30, loaded.KeyVersion);
        Assert.Equal(created.ToString(), loaded.ToString()); // same key check values, so same keys
        Assert.Null(PlatformKeyStore.CheckPermissions(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void CreateRandom_TwoFiles_DifferentKeys_AndNeverOverwrites()
    {
        string a = Path.Combine(_dir, "a.json"), b = Path.Combine(_dir, "b.json");
        Scp03StaticKeys ka = PlatformKeyStore.CreateRandom(a, BouncyCastleAesFactory.Instance);
        Scp03StaticKeys kb = PlatformKeyStore.CreateRandom(b, BouncyCastleAesFactory.Instance);
        Assert.NotEqual(ka.ToString(), kb.ToString());

        var ex = Assert.Throws<PlatformKeyStoreException>(() => PlatformKeyStore.CreateRandom(a, BouncyCastleAesFactory.Instance));
        Assert.Equal(PlatformKeyStoreError.AlreadyExists, ex.Error);
        Assert.Equal(ka.ToString(), PlatformKeyStore.Load(a, BouncyCastleAesFactory.Instance).ToString());
    }

    [Fact]
    public void Load_KnownFile_KcvOnlyInToString()
    {
        // Keys of the kaoh/globalplatform scp03Test.c example (protocol-facts.md).
        const string key = "404142434445464748494A4B4C4D4E4F";
        string path = Write($$"""{ "kvn": "30", "enc": "{{key}}", "mac": "{{key}}", "dek": "{{key}}" }""");
        Scp03StaticKeys keys = PlatformKeyStore.Load(path, BouncyCastleAesFactory.Instance);
        string text = keys.ToString();
        Assert.Contains("KVN 30", text);
        Assert.Contains("KCV", text);
        Assert.DoesNotContain(key, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("4041424344", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Load_MissingFile_NotFoundNamingThePath()
    {
        string path = Path.Combine(_dir, "nope.json");
        var ex = Assert.Throws<PlatformKeyStoreException>(() => PlatformKeyStore.Load(path, BouncyCastleAesFactory.Instance));
        Assert.Equal(PlatformKeyStoreError.NotFound, ex.Error);
        Assert.Contains(path, ex.Message);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1, 2]")]
    [InlineData("""{ "kvn": "30", "enc": "00112233445566778899AABBCCDDEEFF", "mac": "00112233445566778899AABBCCDDEEFF" }""")]
    [InlineData("""{ "kvn": "30", "enc": "0011", "mac": "0011", "dek": "0011" }""")]
    [InlineData("""{ "kvn": "80", "enc": "00112233445566778899AABBCCDDEEFF", "mac": "00112233445566778899AABBCCDDEEFF", "dek": "00112233445566778899AABBCCDDEEFF" }""")]
    [InlineData("""{ "kvn": "30", "enc": "ZZ112233445566778899AABBCCDDEEFF", "mac": "00112233445566778899AABBCCDDEEFF", "dek": "00112233445566778899AABBCCDDEEFF" }""")]
    [InlineData("""{ "kvn": 48, "enc": "00112233445566778899AABBCCDDEEFF", "mac": "00112233445566778899AABBCCDDEEFF", "dek": "00112233445566778899AABBCCDDEEFF" }""")]
    public void Load_MalformedFile_MalformedWithoutQuotingKeys(string json)
    {
        string path = Write(json);
        var ex = Assert.Throws<PlatformKeyStoreException>(() => PlatformKeyStore.Load(path, BouncyCastleAesFactory.Instance));
        Assert.Equal(PlatformKeyStoreError.Malformed, ex.Error);
        Assert.DoesNotContain("00112233", ex.Message);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public void Load_GroupReadableFile_RefusedLikeSsh()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string path = Path.Combine(_dir, "k.json");
        PlatformKeyStore.CreateRandom(path, BouncyCastleAesFactory.Instance);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var ex = Assert.Throws<PlatformKeyStoreException>(() => PlatformKeyStore.Load(path, BouncyCastleAesFactory.Instance));
        Assert.Equal(PlatformKeyStoreError.InsecurePermissions, ex.Error);
        Assert.Contains("chmod 600", ex.Message);
        Assert.Contains("644", ex.Message);
    }

    [Fact]
    public void Load_RandomBytes_OnlyPlatformKeyStoreException()
    {
        string path = Path.Combine(_dir, "fuzz.json");
        Directory.CreateDirectory(_dir);
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            File.WriteAllBytes(path, bytes);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var ex = Assert.Throws<PlatformKeyStoreException>(() => PlatformKeyStore.Load(path, BouncyCastleAesFactory.Instance));
            Assert.Equal(PlatformKeyStoreError.Malformed, ex.Error);
        }, iter: 500, threads: 1);
    }

    private string Write(string json)
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
