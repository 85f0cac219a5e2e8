namespace NanoAgent.Drivers.Crypto
{
    /// <summary>
    /// A block cipher keyed once at creation, transforming one 16-byte block at a time (ECB on a single block).
    /// Modes such as CBC and CMAC are built over it, so a platform only has to supply the raw block operation.
    /// </summary>
    public interface IBlockCipher
    {
        /// <summary>Gets the block size in bytes (16 for AES).</summary>
        int BlockSize { get; }

        /// <summary>Gets the key length in bytes (16, 24 or 32 for AES).</summary>
        int KeyLength { get; }

        /// <summary>Encrypts one block. Input and output may be the same bytes (in place).</summary>
        /// <param name="input">Buffer holding the plaintext block.</param>
        /// <param name="inputOffset">First byte of the block.</param>
        /// <param name="output">Buffer receiving the ciphertext block.</param>
        /// <param name="outputOffset">Where the first ciphertext byte goes.</param>
        void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);

        /// <summary>Decrypts one block. Input and output may be the same bytes (in place).</summary>
        /// <param name="input">Buffer holding the ciphertext block.</param>
        /// <param name="inputOffset">First byte of the block.</param>
        /// <param name="output">Buffer receiving the plaintext block.</param>
        /// <param name="outputOffset">Where the first plaintext byte goes.</param>
        void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);
    }
}
