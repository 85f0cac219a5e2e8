using System.Security.Cryptography;
using NanoAgent.Drivers.Crypto;

namespace NanoAgent.VirtualSe.Scp03;

/// <summary>
/// The virtual card's <see cref="IBlockCipherFactory"/>: single AES blocks (ECB, no padding) from the .NET runtime, so the
/// card side needs no back end of its own. The portable SCP03 code builds CMAC and CBC on top.
/// </summary>
public sealed class DotNetAesFactory : IBlockCipherFactory
{
    /// <summary>Gets a shared instance; the factory holds no state.</summary>
    public static DotNetAesFactory Instance { get; } = new();

    /// <inheritdoc />
    public IBlockCipher CreateAes(byte[] key, int offset, int count) => new Cipher(key.AsSpan(offset, count).ToArray());

    private sealed class Cipher : IBlockCipher
    {
        private readonly Aes _aes = Aes.Create();

        public Cipher(byte[] key)
        {
            _aes.Key = key;
        }

        public int BlockSize => 16;

        public int KeyLength => _aes.Key.Length;

        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset) =>
            _aes.EncryptEcb(input.AsSpan(inputOffset, 16), output.AsSpan(outputOffset, 16), PaddingMode.None);

        public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset) =>
            _aes.DecryptEcb(input.AsSpan(inputOffset, 16), output.AsSpan(outputOffset, 16), PaddingMode.None);
    }
}
