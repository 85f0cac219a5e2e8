using BenchmarkDotNet.Attributes;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.Tests.Host.Keys;

namespace NanoAgent.Benchmarks;

/// <summary>
/// One device's SCP03 key set diversified from an AES-128 master key (KDF3, docs/keys.md: three AES-CMACs): from a key
/// file in this process, and inside a SoftHSM2 token (three C_Sign calls with CKM_AES_CMAC), the token made by
/// softhsm2-util in a temporary directory.
/// </summary>
[MemoryDiagnoser]
public class DeviceKeyBenchmarks
{
    private readonly byte[] _kdd = Convert.FromHexString("00010203040506070809");
    private SoftHsmToken? _token;
    private FileMasterKeySource? _file;
    private Pkcs11MasterKeySource? _pkcs11;

    /// <summary>Makes the token and opens both sources.</summary>
    [GlobalSetup]
    public void Setup()
    {
        byte[] master = Convert.FromHexString("404142434445464748494A4B4C4D4E4F");
        _file = new FileMasterKeySource(Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x01, master), "bench.keys");
        _token = new SoftHsmToken();
        _token.ImportAes("bench", master);
        _pkcs11 = Pkcs11MasterKeySource.Open(Pkcs11Uri.Parse(_token.Uri("bench")), SoftHsmToken.Pin);
    }

    /// <summary>Closes the token session and removes the token.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _pkcs11?.Dispose();
        _token?.Dispose();
    }

    /// <summary>Derives a key set from the key file's master key.</summary>
    /// <returns>The key set.</returns>
    [Benchmark]
    public Scp03StaticKeys FromKeyFile() => _file!.KeysFor(0x01, _kdd);

    /// <summary>Derives a key set inside the token.</summary>
    /// <returns>The key set.</returns>
    [Benchmark]
    public Scp03StaticKeys InsideSoftHsmToken() => _pkcs11!.KeysFor(0x01, _kdd);
}
