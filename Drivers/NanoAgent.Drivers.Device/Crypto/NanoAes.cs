using System;
using System.Security.Cryptography;
using NanoAgent.Drivers.Crypto;

namespace NanoAgent.Drivers.Device.Crypto
{
    /// <summary>
    /// <see cref="IBlockCipher"/> over nanoFramework's hardware-backed <c>System.Security.Cryptography.Aes</c> in ECB mode.
    /// That API returns a new array per call, so each block costs one 16-byte allocation on the device. It runs AES-128 only:
    /// the native side sets the key through mbedTLS for 128 bits and fails on other lengths at the first block, so this class
    /// refuses 24- and 32-byte keys at construction, and the firmware refuses AES-192/256 platform keys at boot
    /// (<c>AgentPlatform.MaxAesKeyLength</c> = 16).
    /// </summary>
    public sealed class NanoAes : IBlockCipher
    {
        private readonly Aes _aes;
        private readonly byte[] _block = new byte[16];
        private readonly int _keyLength;

        /// <summary>Creates a cipher with a 16-byte (AES-128) key.</summary>
        /// <param name="key">Buffer holding the key.</param>
        /// <param name="offset">First key byte.</param>
        /// <param name="count">Key length: 16.</param>
        /// <exception cref="ArgumentException">The key is not 16 bytes long.</exception>
        public NanoAes(byte[] key, int offset, int count)
        {
            if (count != 16)
            {
                throw new ArgumentException("nanoFramework's native Aes runs AES-128 only: the key must be 16 bytes, not " + count.ToString());
            }

            byte[] copy = new byte[count];
            Array.Copy(key, offset, copy, 0, count);
            _aes = new Aes(CipherMode.ECB);
            _aes.Key = copy;
            _keyLength = count;
        }

        /// <inheritdoc />
        public int BlockSize
        {
            get { return 16; }
        }

        /// <inheritdoc />
        public int KeyLength
        {
            get { return _keyLength; }
        }

        /// <inheritdoc />
        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            Array.Copy(input, inputOffset, _block, 0, 16);
            Array.Copy(_aes.Encrypt(_block), 0, output, outputOffset, 16);
        }

        /// <inheritdoc />
        public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            Array.Copy(input, inputOffset, _block, 0, 16);
            Array.Copy(_aes.Decrypt(_block), 0, output, outputOffset, 16);
        }
    }
}
