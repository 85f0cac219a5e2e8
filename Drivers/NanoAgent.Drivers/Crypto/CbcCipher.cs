using System;

namespace NanoAgent.Drivers.Crypto
{
    /// <summary>
    /// CBC mode without padding over an <see cref="IBlockCipher"/>, in place in the caller's buffer.
    /// Scratch blocks are allocated once here; encrypting and decrypting allocate nothing.
    /// </summary>
    public sealed class CbcCipher
    {
        private readonly IBlockCipher _cipher;
        private readonly byte[] _chain;
        private readonly byte[] _saved;

        /// <summary>Creates CBC over a keyed cipher (which it uses but does not own).</summary>
        /// <param name="cipher">The keyed block cipher.</param>
        /// <exception cref="ArgumentNullException"><paramref name="cipher"/> is null.</exception>
        public CbcCipher(IBlockCipher cipher)
        {
            if (cipher == null)
            {
                throw new ArgumentNullException("cipher");
            }

            _cipher = cipher;
            _chain = new byte[cipher.BlockSize];
            _saved = new byte[cipher.BlockSize];
        }

        /// <summary>Gets the block size in bytes.</summary>
        public int BlockSize
        {
            get { return _chain.Length; }
        }

        /// <summary>Encrypts whole blocks in place.</summary>
        /// <param name="iv">Buffer holding the initial chaining value (one block).</param>
        /// <param name="ivOffset">First IV byte.</param>
        /// <param name="buffer">Buffer holding the plaintext; receives the ciphertext.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, a multiple of the block size.</param>
        /// <exception cref="ArgumentException"><paramref name="count"/> is not a multiple of the block size.</exception>
        public void Encrypt(byte[] iv, int ivOffset, byte[] buffer, int offset, int count)
        {
            int bs = _chain.Length;
            CheckLength(count, bs);
            Array.Copy(iv, ivOffset, _chain, 0, bs);
            for (int block = offset; block < offset + count; block += bs)
            {
                for (int i = 0; i < bs; i++)
                {
                    buffer[block + i] ^= _chain[i];
                }

                _cipher.EncryptBlock(buffer, block, buffer, block);
                Array.Copy(buffer, block, _chain, 0, bs);
            }
        }

        /// <summary>Decrypts whole blocks in place.</summary>
        /// <param name="iv">Buffer holding the initial chaining value (one block).</param>
        /// <param name="ivOffset">First IV byte.</param>
        /// <param name="buffer">Buffer holding the ciphertext; receives the plaintext.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, a multiple of the block size.</param>
        /// <exception cref="ArgumentException"><paramref name="count"/> is not a multiple of the block size.</exception>
        public void Decrypt(byte[] iv, int ivOffset, byte[] buffer, int offset, int count)
        {
            int bs = _chain.Length;
            CheckLength(count, bs);
            Array.Copy(iv, ivOffset, _chain, 0, bs);
            for (int block = offset; block < offset + count; block += bs)
            {
                Array.Copy(buffer, block, _saved, 0, bs);
                _cipher.DecryptBlock(buffer, block, buffer, block);
                for (int i = 0; i < bs; i++)
                {
                    buffer[block + i] ^= _chain[i];
                }

                Array.Copy(_saved, 0, _chain, 0, bs);
            }
        }

        private static void CheckLength(int count, int blockSize)
        {
            if (count < 0 || count % blockSize != 0)
            {
                throw new ArgumentException("CBC without padding needs whole blocks.", "count");
            }
        }
    }
}
