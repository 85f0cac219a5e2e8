using NanoAgent.Drivers.Crypto;

namespace NanoAgent.Drivers.Host.Crypto;

/// <summary>
/// Creates <see cref="BouncyCastleAes"/> ciphers: the host's <see cref="IBlockCipherFactory"/>.
/// </summary>
public sealed class BouncyCastleAesFactory : IBlockCipherFactory
{
    /// <summary>Gets a shared instance; the factory holds no state.</summary>
    public static BouncyCastleAesFactory Instance { get; } = new();

    /// <inheritdoc />
    public IBlockCipher CreateAes(byte[] key, int offset, int count) => new BouncyCastleAes(key, offset, count);
}
