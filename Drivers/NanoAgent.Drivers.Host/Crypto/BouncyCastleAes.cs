using NanoAgent.Drivers.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace NanoAgent.Drivers.Host.Crypto;

/// <summary>
/// AES-128/192/256 single-block encryption and decryption through BouncyCastle's <see cref="AesEngine"/> (FIPS 197).
/// The key is set once; the decrypting engine is keyed on first use.
/// </summary>
public sealed class BouncyCastleAes : IBlockCipher
{
    private readonly AesEngine _encryptor = new();
    private readonly KeyParameter _key;
    private AesEngine? _decryptor;

    /// <summary>Creates a cipher keyed with a copy of the given key.</summary>
    /// <param name="key">Buffer holding the key.</param>
    /// <param name="offset">First key byte.</param>
    /// <param name="count">Key length: 16, 24 or 32 bytes.</param>
    /// <exception cref="ArgumentException">The key length is not an AES key length.</exception>
    public BouncyCastleAes(byte[] key, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (count != 16 && count != 24 && count != 32)
        {
            throw new ArgumentException("AES keys are 16, 24 or 32 bytes.", nameof(count));
        }

        _key = new KeyParameter(key, offset, count);
        _encryptor.Init(true, _key);
        KeyLength = count;
    }

    /// <inheritdoc />
    public int BlockSize => 16;

    /// <inheritdoc />
    public int KeyLength { get; }

    /// <inheritdoc />
    public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
    {
        _encryptor.ProcessBlock(input, inputOffset, output, outputOffset);
    }

    /// <inheritdoc />
    public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
    {
        if (_decryptor == null)
        {
            _decryptor = new AesEngine();
            _decryptor.Init(false, _key);
        }

        _decryptor.ProcessBlock(input, inputOffset, output, outputOffset);
    }

    /// <summary>Describes the cipher without any key material.</summary>
    /// <returns>The algorithm and key size.</returns>
    public override string ToString() => $"AES-{KeyLength * 8}";
}
