using BenchmarkDotNet.Attributes;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.T1;
using NanoAgent.Host.Bench;

namespace NanoAgent.Benchmarks;

/// <summary>
/// CRC-16/X-25 over one full T=1 frame, AES-CMAC of 64 bytes (NIST SP 800-38B) and SCP03 secure messaging at level 33
/// (C-MAC C-DEC R-MAC R-ENC, GP Amd D §6.2) of a 64-byte command and answer, all with BouncyCastle AES.
/// </summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private const byte Level = Scp03SecurityLevel.CMac | Scp03SecurityLevel.CDecryption | Scp03SecurityLevel.RMac | Scp03SecurityLevel.REncryption;
    private const int DataBytes = 64;

    // NAD PCB LEN + 254 INF bytes: the largest SE05x frame body at IFSC 254 (UM11225 §3.1.1).
    private readonly byte[] _frame = LinkBench.Command(257);
    private readonly byte[] _message = LinkBench.Command(64);
    private readonly byte[] _mac = new byte[AesCmac.MacLength];
    private readonly byte[] _plain = LinkBench.Command(5 + DataBytes);
    private readonly byte[] _wrapped = new byte[5 + DataBytes + 32];
    private readonly byte[] _answer = new byte[DataBytes + 34];
    private readonly byte[] _output = new byte[DataBytes + 34];
    private readonly byte[] _counter = new byte[16];
    private readonly byte[] _chain = new byte[16];
    private AesCmac? _cmac;
    private Scp03SessionKeys? _session;
    private Scp03Wrapper? _wrapper;

    /// <summary>Derives the keys once (GP Amd D §6.2.1 KDF; key value from protocol-facts, 40..4F).</summary>
    [GlobalSetup]
    public void Setup()
    {
        byte[] key = Convert.FromHexString("404142434445464748494A4B4C4D4E4F");
        _cmac = new AesCmac(BouncyCastleAesFactory.Instance.CreateAes(key, 0, key.Length));
        var keys = new Scp03StaticKeys(BouncyCastleAesFactory.Instance, 0x30, key, key, key);
        byte[] challenges = new byte[16];
        _session = Scp03SessionKeys.Derive(keys, challenges, 0, challenges, 8, 8);
        _wrapper = new Scp03Wrapper(_session, Level, new byte[16], 0);
        _plain[4] = DataBytes;
    }

    /// <summary>CRC-16/X-25 of a 257-byte frame.</summary>
    /// <returns>The CRC.</returns>
    [Benchmark]
    public ushort Crc16Frame257() => Crc16X25.Compute(_frame, 0, _frame.Length);

    /// <summary>AES-CMAC of 64 bytes.</summary>
    /// <returns>First MAC byte.</returns>
    [Benchmark]
    public byte AesCmac64()
    {
        _cmac!.Compute(_message, 0, _message.Length, _mac, 0);
        return _mac[0];
    }

    /// <summary>Wraps a command with 64 data bytes (encrypt + C-MAC).</summary>
    /// <returns>Wrapped length.</returns>
    [Benchmark]
    public int Scp03Wrap64() => _wrapper!.Wrap(_plain, 0, _plain.Length, _wrapped, 0);

    /// <summary>The card side alone: encrypts 64 answer bytes and computes the R-MAC (subtract from the round trip).</summary>
    /// <returns>Answer length.</returns>
    [Benchmark]
    public int Scp03CardAnswer64() => Scp03Bench.CardAnswer(_session!, _wrapper!, DataBytes, _answer, _counter, _chain);

    /// <summary>Wrap, the card's answer (as <see cref="Scp03CardAnswer64"/>), then unwrap (R-MAC check + decrypt).</summary>
    /// <returns>Plain answer length.</returns>
    [Benchmark]
    public int Scp03WrapCardUnwrap64()
    {
        _wrapper!.Wrap(_plain, 0, _plain.Length, _wrapped, 0);
        int n = Scp03Bench.CardAnswer(_session!, _wrapper, DataBytes, _answer, _counter, _chain);
        return _wrapper.Unwrap(_answer, 0, n, _output, 0);
    }
}
