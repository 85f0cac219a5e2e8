using System.Security.Cryptography;
using NanoAgent.Drivers.Crypto;
using NanoAgent.VirtualSe.Scp03;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// The cryptography inside the virtual SE05x: HMAC and AES-CMAC (our CMAC mode over the runtime's AES block), ECDSA
/// P-256 over a host-made digest with DER signatures (ANSI X9.62), P-256 key generation and checks, ECDH, digests. MAC algorithm codes
/// are se05x_enums.h SE05x_MACAlgo_t; ECSignatureAlgo SHA_256 is 21.
/// </summary>
internal static class Se05xCrypto
{
    public const byte HmacSha1 = 0x18;
    public const byte HmacSha256 = 0x19;
    public const byte HmacSha384 = 0x1A;
    public const byte HmacSha512 = 0x1B;
    public const byte Cmac128 = 0x31;
    public const byte EcdsaSha256 = 0x21;

    /// <summary>The MAC length of an algorithm, or 0 when the virtual card does not know it (DES-CMAC8 7A needs DES keys).</summary>
    public static int MacLength(byte algorithm) => algorithm switch
    {
        HmacSha1 => 20,
        HmacSha256 => 32,
        HmacSha384 => 48,
        HmacSha512 => 64,
        Cmac128 => 16,
        _ => 0,
    };

    /// <summary>True when the algorithm suits the key: HMAC algorithms on HMAC keys, CMAC-128 on AES keys.</summary>
    public static bool Suits(byte algorithm, State.Se05xObjectType keyType) =>
        algorithm == Cmac128 ? keyType == State.Se05xObjectType.Aes
        : MacLength(algorithm) > 0 && keyType == State.Se05xObjectType.Hmac;

    /// <summary>Starts a MAC computation.</summary>
    public static IMac Start(byte algorithm, byte[] key) => algorithm == Cmac128
        ? new Cmac(key)
        : new Hmac(algorithm switch
        {
            HmacSha1 => HashAlgorithmName.SHA1,
            HmacSha384 => HashAlgorithmName.SHA384,
            HmacSha512 => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        }, key);

    /// <summary>Computes a MAC in one go.</summary>
    public static byte[] Mac(byte algorithm, byte[] key, ReadOnlySpan<byte> data)
    {
        IMac mac = Start(algorithm, key);
        mac.Update(data);
        return mac.Finish();
    }

    /// <summary>Generates a P-256 key pair: 32-byte private scalar and <c>04 X Y</c>.</summary>
    public static (byte[] Private, byte[] Public) GenerateP256()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters p = ec.ExportParameters(true);
        return (Pad(p.D!), Point(p.Q));
    }

    /// <summary>Derives the public point of a private scalar, or null when the scalar is not a valid P-256 key.</summary>
    public static byte[]? PublicOf(byte[] privateKey)
    {
        try
        {
            using var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = privateKey });
            return Point(ec.ExportParameters(false).Q);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>True when the bytes are an uncompressed point on P-256.</summary>
    public static bool IsP256Point(ReadOnlySpan<byte> point)
    {
        if (point.Length != 65 || point[0] != 0x04)
        {
            return false;
        }

        try
        {
            using var ec = ECDsa.Create(Parameters(point.ToArray(), null));
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>ECDH on P-256: the shared point's x coordinate (32 bytes).</summary>
    public static byte[] SharedSecret(byte[] privateKey, byte[] publicKey, ReadOnlySpan<byte> peer)
    {
        using var own = ECDiffieHellman.Create(Parameters(publicKey, privateKey));
        using var other = ECDiffieHellman.Create(Parameters(peer.ToArray(), null));
        return own.DeriveRawSecretAgreement(other.PublicKey);
    }

    /// <summary>The digest of DigestOneShot's mode (se05x_enums.h DigestMode: 01 SHA-1, 07 SHA-224, 04 SHA-256,
    /// 05 SHA-384, 06 SHA-512), or null for another mode.</summary>
    public static byte[]? Digest(uint mode, ReadOnlySpan<byte> data) => mode switch
    {
        0x01 => SHA1.HashData(data),
        0x07 => Sha224(data),
        0x04 => SHA256.HashData(data),
        0x05 => SHA384.HashData(data),
        0x06 => SHA512.HashData(data),
        _ => null,
    };

    // .NET has no SHA-224: BouncyCastle's (the host crypto of NanoAgent.Drivers.Host).
    private static byte[] Sha224(ReadOnlySpan<byte> data)
    {
        var sha = new Org.BouncyCastle.Crypto.Digests.Sha224Digest();
        sha.BlockUpdate(data);
        byte[] hash = new byte[sha.GetDigestSize()];
        sha.DoFinal(hash, 0);
        return hash;
    }

    /// <summary>Signs a digest; the signature is DER SEQUENCE { r, s }.</summary>
    public static byte[] Sign(byte[] privateKey, byte[] publicKey, ReadOnlySpan<byte> digest)
    {
        using var ec = ECDsa.Create(Parameters(publicKey, privateKey));
        return ec.SignHash(digest.ToArray(), DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Verifies a DER signature over a digest; a signature that does not parse does not verify.</summary>
    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        try
        {
            using var ec = ECDsa.Create(Parameters(publicKey, null));
            return ec.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static ECParameters Parameters(byte[] point, byte[]? privateKey) => new()
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = point[1..33], Y = point[33..65] },
        D = privateKey,
    };

    private static byte[] Point(ECPoint q) => [0x04, .. Pad(q.X!), .. Pad(q.Y!)];

    private static byte[] Pad(byte[] value) => value.Length >= 32 ? value : [.. new byte[32 - value.Length], .. value];

    /// <summary>A MAC being computed.</summary>
    internal interface IMac
    {
        void Update(ReadOnlySpan<byte> data);

        byte[] Finish();
    }

    private sealed class Hmac(HashAlgorithmName name, byte[] key) : IMac
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHMAC(name, key);

        public void Update(ReadOnlySpan<byte> data) => _hash.AppendData(data);

        public byte[] Finish() => _hash.GetHashAndReset();
    }

    private sealed class Cmac(byte[] key) : IMac
    {
        private readonly AesCmac _cmac = new(DotNetAesFactory.Instance.CreateAes(key, 0, key.Length));

        public void Update(ReadOnlySpan<byte> data)
        {
            byte[] copy = data.ToArray();
            _cmac.Update(copy, 0, copy.Length);
        }

        public byte[] Finish()
        {
            byte[] mac = new byte[AesCmac.MacLength];
            _cmac.DoFinal(mac, 0, mac.Length);
            return mac;
        }
    }
}
