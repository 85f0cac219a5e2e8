using System;
using NanoAgent.Drivers.Crypto;

namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// A static SCP03 key set: Key-ENC, Key-MAC and Key-DEK of one key version (GP Amd D §6.1), with the platform's cipher factory.
    /// Key bytes never leave this assembly; <see cref="ToString"/> shows only key check values.
    /// </summary>
    public sealed class Scp03StaticKeys
    {
        /// <summary>Length of a key check value in bytes.</summary>
        public const int CheckValueLength = 3;

        private readonly byte[] _enc;
        private readonly byte[] _mac;
        private readonly byte[] _dek;
        private readonly byte[] _kcv = new byte[3 * CheckValueLength];

        /// <summary>Creates a key set from copies of the three keys.</summary>
        /// <param name="factory">Creates the AES ciphers for this platform.</param>
        /// <param name="keyVersion">The key version number (INITIALIZE UPDATE P1).</param>
        /// <param name="enc">Key-ENC.</param>
        /// <param name="mac">Key-MAC.</param>
        /// <param name="dek">Key-DEK.</param>
        /// <exception cref="SecureChannelException">A key is missing, not 16/24/32 bytes, or the lengths differ (<see cref="SecureChannelError.InvalidKey"/>).</exception>
        public Scp03StaticKeys(IBlockCipherFactory factory, byte keyVersion, byte[] enc, byte[] mac, byte[] dek)
        {
            if (factory == null)
            {
                throw new ArgumentNullException("factory");
            }

            if (enc == null || mac == null || dek == null || (enc.Length != 16 && enc.Length != 24 && enc.Length != 32)
                || mac.Length != enc.Length || dek.Length != enc.Length)
            {
                throw new SecureChannelException(SecureChannelError.InvalidKey, "SCP03 keys are three AES keys of one length: 16, 24 or 32 bytes.");
            }

            Factory = factory;
            KeyVersion = keyVersion;
            _enc = Copy(enc);
            _mac = Copy(mac);
            _dek = Copy(dek);
            ComputeCheckValue(_enc, 0);
            ComputeCheckValue(_mac, CheckValueLength);
            ComputeCheckValue(_dek, 2 * CheckValueLength);
        }

        /// <summary>Gets the platform's cipher factory, used for the session keys too.</summary>
        public IBlockCipherFactory Factory { get; }

        /// <summary>Gets the key version number.</summary>
        public byte KeyVersion { get; }

        /// <summary>Gets the key length in bytes (16, 24 or 32).</summary>
        public int KeyLength
        {
            get { return _enc.Length; }
        }

        internal byte[] Enc
        {
            get { return _enc; }
        }

        internal byte[] Mac
        {
            get { return _mac; }
        }

        internal byte[] Dek
        {
            get { return _dek; }
        }

        /// <summary>Creates a key set using the same key for ENC, MAC and DEK (as test and default card keys do).</summary>
        /// <param name="factory">Creates the AES ciphers for this platform.</param>
        /// <param name="keyVersion">The key version number.</param>
        /// <param name="key">The one key.</param>
        /// <returns>The key set.</returns>
        /// <exception cref="SecureChannelException">The key is not 16, 24 or 32 bytes (<see cref="SecureChannelError.InvalidKey"/>).</exception>
        public static Scp03StaticKeys FromSingleKey(IBlockCipherFactory factory, byte keyVersion, byte[] key)
        {
            return new Scp03StaticKeys(factory, keyVersion, key, key, key);
        }

        /// <summary>Copies the three key check values, ENC then MAC then DEK, 3 bytes each.</summary>
        /// <param name="output">Buffer receiving 9 bytes.</param>
        /// <param name="offset">Where the first byte goes.</param>
        public void GetCheckValues(byte[] output, int offset)
        {
            Array.Copy(_kcv, 0, output, offset, _kcv.Length);
        }

        /// <summary>
        /// Computes the pseudo-random card challenge from Key-ENC, the sequence counter and the security domain AID
        /// (GP Amd D §6.2.2.1); see <see cref="Scp03Kdf.ComputeCardChallenge"/>. Used by back ends precomputing a session and by cards.
        /// </summary>
        /// <param name="sequenceCounter">The 24-bit sequence counter.</param>
        /// <param name="aid">Buffer holding the AID.</param>
        /// <param name="aidOffset">First AID byte.</param>
        /// <param name="aidCount">AID length, 5 to 16.</param>
        /// <param name="challengeLength">8 (S8 mode) or 16 (S16 mode).</param>
        /// <param name="output">Buffer receiving the challenge.</param>
        /// <param name="outputOffset">Where the first challenge byte goes.</param>
        /// <exception cref="SecureChannelException">An argument is out of range (<see cref="SecureChannelError.InvalidArgument"/>).</exception>
        public void ComputeCardChallenge(int sequenceCounter, byte[] aid, int aidOffset, int aidCount, int challengeLength, byte[] output, int outputOffset)
        {
            AesCmac keyEnc = new AesCmac(Factory.CreateAes(_enc, 0, _enc.Length));
            Scp03Kdf.ComputeCardChallenge(keyEnc, sequenceCounter, aid, aidOffset, aidCount, challengeLength, output, outputOffset);
        }

        /// <summary>Creates a cipher keyed with Key-ENC (for a master key set, docs/keys.md: the ENC master key).</summary>
        /// <returns>A new AES cipher.</returns>
        public IBlockCipher CreateEncCipher()
        {
            return Factory.CreateAes(_enc, 0, _enc.Length);
        }

        /// <summary>Creates a cipher keyed with Key-DEK, for encrypting keys and sensitive data (GP Amd D §6.2.8).</summary>
        /// <returns>A new AES cipher.</returns>
        public IBlockCipher CreateDekCipher()
        {
            return Factory.CreateAes(_dek, 0, _dek.Length);
        }

        /// <summary>Creates a cipher keyed with Key-MAC (for a request key set, docs/protocol.md §3.9: the request key).</summary>
        /// <returns>A new AES cipher.</returns>
        public IBlockCipher CreateMacCipher()
        {
            return Factory.CreateAes(_mac, 0, _mac.Length);
        }

        /// <summary>Describes the key set by version, length and key check values; never key bytes.</summary>
        /// <returns>For example "SCP03 keys KVN 30 AES-128 KCV ENC 504A77 MAC 504A77 DEK 504A77".</returns>
        public override string ToString()
        {
            char[] text = new char[2];
            AppendHex(text, 0, KeyVersion);
            string kvn = new string(text);
            return "SCP03 keys KVN " + kvn + " AES-" + (KeyLength * 8).ToString()
                + " KCV ENC " + Kcv(0) + " MAC " + Kcv(CheckValueLength) + " DEK " + Kcv(2 * CheckValueLength);
        }

        private static byte[] Copy(byte[] key)
        {
            byte[] copy = new byte[key.Length];
            Array.Copy(key, copy, key.Length);
            return copy;
        }

        private static int AppendHex(char[] text, int n, byte value)
        {
            const string Digits = "0123456789ABCDEF";
            text[n++] = Digits[value >> 4];
            text[n++] = Digits[value & 0x0F];
            return n;
        }

        private string Kcv(int offset)
        {
            char[] text = new char[2 * CheckValueLength];
            int n = 0;
            for (int i = 0; i < CheckValueLength; i++)
            {
                n = AppendHex(text, n, _kcv[offset + i]);
            }

            return new string(text);
        }

        private void ComputeCheckValue(byte[] key, int offset)
        {
            // GP Card Specification (AES keys, used by Amd D PUT KEY): encrypt 16 bytes of 01 with the key, keep the leftmost 3 bytes.
            byte[] block = new byte[16];
            for (int i = 0; i < block.Length; i++)
            {
                block[i] = 0x01;
            }

            Factory.CreateAes(key, 0, key.Length).EncryptBlock(block, 0, block, 0);
            Array.Copy(block, 0, _kcv, offset, CheckValueLength);
        }
    }
}
