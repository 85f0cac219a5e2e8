using System;

namespace NanoAgent.Drivers.Crypto
{
    /// <summary>
    /// CMAC over a 128-bit block cipher (NIST SP 800-38B), incremental or one shot, into the caller's buffer.
    /// All buffers are allocated once here; <see cref="Update(byte[], int, int)"/> and <see cref="DoFinal(byte[], int, int)"/> allocate nothing.
    /// </summary>
    public sealed class AesCmac
    {
        /// <summary>The full MAC length in bytes (one AES block).</summary>
        public const int MacLength = 16;

        private const int BlockSize = 16;

        // SP 800-38B §5.3: R_128 = 0^120 || 10000111.
        private const byte Rb = 0x87;

        private readonly IBlockCipher _cipher;
        private readonly byte[] _k1 = new byte[BlockSize];
        private readonly byte[] _k2 = new byte[BlockSize];
        private readonly byte[] _state = new byte[BlockSize];
        private readonly byte[] _pending = new byte[BlockSize];
        private int _pendingCount;

        /// <summary>Creates a CMAC over a keyed cipher and derives the subkeys K1 and K2 (SP 800-38B §6.1).</summary>
        /// <param name="cipher">A keyed cipher with a 16-byte block; the CMAC uses it, it does not own it.</param>
        /// <exception cref="ArgumentException">The cipher's block is not 16 bytes.</exception>
        public AesCmac(IBlockCipher cipher)
        {
            if (cipher == null || cipher.BlockSize != BlockSize)
            {
                throw new ArgumentException("CMAC needs a cipher with a 16-byte block.", "cipher");
            }

            _cipher = cipher;

            // L = CIPH_K(0^128); K1 = L << 1 (xor Rb if msb(L)); K2 = K1 << 1 (xor Rb if msb(K1)).
            _cipher.EncryptBlock(_state, 0, _state, 0);
            ShiftLeftOne(_state, _k1);
            ShiftLeftOne(_k1, _k2);
            Array.Clear(_state, 0, BlockSize);
        }

        /// <summary>Gets the cipher the MAC is computed with.</summary>
        public IBlockCipher Cipher
        {
            get { return _cipher; }
        }

        /// <summary>Discards any data given since the last result and starts a new MAC.</summary>
        public void Reset()
        {
            Array.Clear(_state, 0, BlockSize);
            Array.Clear(_pending, 0, BlockSize);
            _pendingCount = 0;
        }

        /// <summary>Adds one byte to the message.</summary>
        /// <param name="value">The byte.</param>
        public void Update(byte value)
        {
            if (_pendingCount == BlockSize)
            {
                ProcessPending();
            }

            _pending[_pendingCount++] = value;
        }

        /// <summary>Adds bytes to the message.</summary>
        /// <param name="data">Buffer holding the bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        public void Update(byte[] data, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                // The last block is kept back until the end: it is combined with K1 or K2 (SP 800-38B §6.2 step 4).
                if (_pendingCount == BlockSize)
                {
                    ProcessPending();
                }

                _pending[_pendingCount++] = data[offset + i];
            }
        }

        /// <summary>Finishes the MAC, writes its first <paramref name="count"/> bytes and resets for the next message.</summary>
        /// <param name="output">Buffer receiving the MAC.</param>
        /// <param name="offset">Where the first MAC byte goes.</param>
        /// <param name="count">How many MAC bytes to write, 1 to 16 (SCP03 S8 mode truncates to 8).</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is outside 1..16.</exception>
        public void DoFinal(byte[] output, int offset, int count)
        {
            if (count < 1 || count > MacLength)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            byte[] subkey;
            if (_pendingCount == BlockSize)
            {
                // SP 800-38B §6.2 step 4: a complete last block is xored with K1.
                subkey = _k1;
            }
            else
            {
                // ...an incomplete (or empty) one is padded with 10..0 and xored with K2.
                _pending[_pendingCount] = 0x80;
                for (int i = _pendingCount + 1; i < BlockSize; i++)
                {
                    _pending[i] = 0;
                }

                subkey = _k2;
            }

            for (int i = 0; i < BlockSize; i++)
            {
                _state[i] ^= (byte)(_pending[i] ^ subkey[i]);
            }

            _cipher.EncryptBlock(_state, 0, _state, 0);
            Array.Copy(_state, 0, output, offset, count);
            Reset();
        }

        /// <summary>Computes the full 16-byte MAC of one message.</summary>
        /// <param name="data">Buffer holding the message.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Message length (may be 0).</param>
        /// <param name="output">Buffer receiving the 16-byte MAC.</param>
        /// <param name="outputOffset">Where the first MAC byte goes.</param>
        public void Compute(byte[] data, int offset, int count, byte[] output, int outputOffset)
        {
            Reset();
            Update(data, offset, count);
            DoFinal(output, outputOffset, MacLength);
        }

        private static void ShiftLeftOne(byte[] input, byte[] output)
        {
            int carry = 0;
            for (int i = BlockSize - 1; i >= 0; i--)
            {
                int b = input[i];
                output[i] = (byte)((b << 1) | carry);
                carry = (b >> 7) & 1;
            }

            if ((input[0] & 0x80) != 0)
            {
                output[BlockSize - 1] ^= Rb;
            }
        }

        private void ProcessPending()
        {
            for (int i = 0; i < BlockSize; i++)
            {
                _state[i] ^= _pending[i];
            }

            _cipher.EncryptBlock(_state, 0, _state, 0);
            _pendingCount = 0;
        }
    }
}
