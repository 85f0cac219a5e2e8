namespace NanoAgent.Drivers.Crypto
{
    /// <summary>
    /// ISO/IEC 9797-1 padding method 2 (one 0x80 byte, then zeros up to a block boundary), as GP Amd D §6.2.6 and §6.2.7 use.
    /// </summary>
    public static class BitPadding
    {
        /// <summary>Gets the padded length of <paramref name="count"/> bytes: always at least one byte longer, a multiple of the block.</summary>
        /// <param name="count">Unpadded length.</param>
        /// <param name="blockSize">Block size in bytes.</param>
        /// <returns>The padded length.</returns>
        public static int PaddedLength(int count, int blockSize)
        {
            return ((count / blockSize) + 1) * blockSize;
        }

        /// <summary>Writes the padding after <paramref name="count"/> bytes of data in place.</summary>
        /// <param name="buffer">Buffer holding the data, with room for the padding.</param>
        /// <param name="offset">First data byte.</param>
        /// <param name="count">Data length.</param>
        /// <param name="blockSize">Block size in bytes.</param>
        /// <returns>The padded length.</returns>
        public static int Pad(byte[] buffer, int offset, int count, int blockSize)
        {
            int padded = PaddedLength(count, blockSize);
            buffer[offset + count] = 0x80;
            for (int i = count + 1; i < padded; i++)
            {
                buffer[offset + i] = 0;
            }

            return padded;
        }

        /// <summary>Finds the data length of a padded range: trailing zeros, then 0x80, within the last block.</summary>
        /// <param name="buffer">Buffer holding the padded data.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Padded length, a non-zero multiple of the block size.</param>
        /// <param name="blockSize">Block size in bytes.</param>
        /// <returns>The unpadded length, or -1 when the padding is malformed.</returns>
        public static int Unpad(byte[] buffer, int offset, int count, int blockSize)
        {
            if (count <= 0 || count % blockSize != 0)
            {
                return -1;
            }

            int limit = count - blockSize;
            for (int i = count - 1; i >= limit; i--)
            {
                byte b = buffer[offset + i];
                if (b == 0x80)
                {
                    return i;
                }

                if (b != 0)
                {
                    return -1;
                }
            }

            return -1;
        }
    }
}
