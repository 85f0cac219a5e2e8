using NanoAgent.Drivers.Crypto;

namespace NanoAgent.Drivers.Device.Crypto
{
    /// <summary>Creates <see cref="NanoAes"/> ciphers for the SCP03 code.</summary>
    public sealed class NanoAesFactory : IBlockCipherFactory
    {
        /// <inheritdoc />
        public IBlockCipher CreateAes(byte[] key, int offset, int count)
        {
            return new NanoAes(key, offset, count);
        }
    }
}
