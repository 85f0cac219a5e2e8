namespace NanoAgent.Drivers.Crypto
{
    /// <summary>
    /// Creates keyed block ciphers for the platform (BouncyCastle on the host, the firmware's AES on the device),
    /// so protocol code such as SCP03 can key session ciphers without knowing the platform.
    /// </summary>
    public interface IBlockCipherFactory
    {
        /// <summary>Creates an AES cipher keyed with a copy of the given key bytes.</summary>
        /// <param name="key">Buffer holding the key.</param>
        /// <param name="offset">First key byte.</param>
        /// <param name="count">Key length: 16, 24 or 32 bytes.</param>
        /// <returns>A cipher that owns its copy of the key.</returns>
        /// <exception cref="System.ArgumentException">The key length is not an AES key length.</exception>
        IBlockCipher CreateAes(byte[] key, int offset, int count);
    }
}
