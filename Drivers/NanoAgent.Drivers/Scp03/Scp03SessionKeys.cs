using System;
using NanoAgent.Drivers.Crypto;

namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// The keys of one SCP03 session (S-ENC, S-MAC, S-RMAC, GP Amd D §6.2.1) and the per-APDU primitives both the host
    /// and the card side build on: cryptograms, C-MAC and R-MAC, counter-based ICVs and padded CBC encryption.
    /// Scratch buffers are allocated once here; the per-APDU methods allocate nothing. Key bytes are not exposed.
    /// </summary>
    public sealed class Scp03SessionKeys
    {
        private const int Block = 16;

        private readonly IBlockCipher _enc;
        private readonly CbcCipher _cbc;
        private readonly AesCmac _mac;
        private readonly AesCmac _rmac;
        private readonly byte[] _context;
        private readonly byte[] _icv = new byte[Block];
        private readonly byte[] _macScratch = new byte[Block];

        private Scp03SessionKeys(Scp03StaticKeys keys, byte[] context, int challengeLength)
        {
            int keyLength = keys.KeyLength;
            IBlockCipherFactory factory = keys.Factory;
            _context = context;
            ChallengeLength = challengeLength;

            // Amd D §6.2.1: S-ENC from Key-ENC (constant 04), S-MAC and S-RMAC from Key-MAC (06, 07); L = key length, context = challenges.
            AesCmac staticEnc = new AesCmac(factory.CreateAes(keys.Enc, 0, keyLength));
            AesCmac staticMac = new AesCmac(factory.CreateAes(keys.Mac, 0, keyLength));
            EncKey = new byte[keyLength];
            MacKey = new byte[keyLength];
            RMacKey = new byte[keyLength];
            Scp03Kdf.Derive(staticEnc, Scp03Kdf.SessionEnc, keyLength * 8, context, 0, context.Length, null, 0, 0, EncKey, 0);
            Scp03Kdf.Derive(staticMac, Scp03Kdf.SessionMac, keyLength * 8, context, 0, context.Length, null, 0, 0, MacKey, 0);
            Scp03Kdf.Derive(staticMac, Scp03Kdf.SessionRMac, keyLength * 8, context, 0, context.Length, null, 0, 0, RMacKey, 0);

            _enc = factory.CreateAes(EncKey, 0, keyLength);
            _cbc = new CbcCipher(_enc);
            _mac = new AesCmac(factory.CreateAes(MacKey, 0, keyLength));
            _rmac = new AesCmac(factory.CreateAes(RMacKey, 0, keyLength));
        }

        /// <summary>Gets the challenge and cryptogram length: 8 in S8 mode, 16 in S16 mode.</summary>
        public int ChallengeLength { get; }

        /// <summary>Gets the C-MAC and R-MAC length: 8 in S8 mode, 16 (not truncated) in S16 mode (Amd D v1.2 §6.2.4).</summary>
        public int MacLength
        {
            get { return ChallengeLength; }
        }

        /// <summary>Gets S-ENC (for tests against published vectors only).</summary>
        internal byte[] EncKey { get; }

        /// <summary>Gets S-MAC (for tests against published vectors only).</summary>
        internal byte[] MacKey { get; }

        /// <summary>Gets S-RMAC (for tests against published vectors only).</summary>
        internal byte[] RMacKey { get; }

        /// <summary>Derives the session keys from the static keys and both challenges.</summary>
        /// <param name="keys">The static key set.</param>
        /// <param name="hostChallenge">Buffer holding the host challenge.</param>
        /// <param name="hostChallengeOffset">First host challenge byte.</param>
        /// <param name="cardChallenge">Buffer holding the card challenge.</param>
        /// <param name="cardChallengeOffset">First card challenge byte.</param>
        /// <param name="challengeLength">8 (S8 mode) or 16 (S16 mode).</param>
        /// <returns>The session keys.</returns>
        /// <exception cref="SecureChannelException">The challenge length is not 8 or 16 (<see cref="SecureChannelError.InvalidArgument"/>).</exception>
        public static Scp03SessionKeys Derive(
            Scp03StaticKeys keys,
            byte[] hostChallenge,
            int hostChallengeOffset,
            byte[] cardChallenge,
            int cardChallengeOffset,
            int challengeLength)
        {
            if (keys == null)
            {
                throw new ArgumentNullException("keys");
            }

            if (challengeLength != 8 && challengeLength != 16)
            {
                throw new SecureChannelException(SecureChannelError.InvalidArgument, "SCP03 challenges are 8 (S8) or 16 (S16) bytes.");
            }

            // Amd D §6.2.1: context = host challenge | card challenge.
            byte[] context = new byte[2 * challengeLength];
            Array.Copy(hostChallenge, hostChallengeOffset, context, 0, challengeLength);
            Array.Copy(cardChallenge, cardChallengeOffset, context, challengeLength, challengeLength);
            return new Scp03SessionKeys(keys, context, challengeLength);
        }

        /// <summary>Computes the card cryptogram: KDF(S-MAC, 00, challenge length, context) (Amd D §6.2.2.2).</summary>
        /// <param name="output">Buffer receiving <see cref="ChallengeLength"/> bytes.</param>
        /// <param name="offset">Where the first byte goes.</param>
        public void ComputeCardCryptogram(byte[] output, int offset)
        {
            Scp03Kdf.Derive(_mac, Scp03Kdf.CardCryptogram, ChallengeLength * 8, _context, 0, _context.Length, null, 0, 0, output, offset);
        }

        /// <summary>Computes the host cryptogram: KDF(S-MAC, 01, challenge length, context) (Amd D §6.2.2.3).</summary>
        /// <param name="output">Buffer receiving <see cref="ChallengeLength"/> bytes.</param>
        /// <param name="offset">Where the first byte goes.</param>
        public void ComputeHostCryptogram(byte[] output, int offset)
        {
            Scp03Kdf.Derive(_mac, Scp03Kdf.HostCryptogram, ChallengeLength * 8, _context, 0, _context.Length, null, 0, 0, output, offset);
        }

        /// <summary>
        /// Computes the full 16-byte CMAC(S-MAC, MAC chaining value | CLA INS P1 P2 Lc | data) of a command (Amd D §6.2.4).
        /// The result is the next MAC chaining value; its first <see cref="MacLength"/> bytes are the C-MAC. The CLA is MACed
        /// as Amd D §6.2.4 modifies it, logical channel number zero and secure messaging bit set
        /// (<see cref="Apdu.GpClassByte.ForCommandMac"/>), so the same command verifies on every logical channel.
        /// </summary>
        /// <param name="chainingValue">The 16-byte MAC chaining value before this command.</param>
        /// <param name="cla">The class byte as sent, on any channel.</param>
        /// <param name="ins">The instruction byte.</param>
        /// <param name="p1">Parameter 1.</param>
        /// <param name="p2">Parameter 2.</param>
        /// <param name="lc">Lc as sent: data length plus the C-MAC length (short APDU, at most 255).</param>
        /// <param name="data">Buffer holding the (possibly encrypted) command data.</param>
        /// <param name="offset">First data byte.</param>
        /// <param name="count">Data length, without the C-MAC.</param>
        /// <param name="result">Buffer receiving 16 bytes; may be <paramref name="chainingValue"/> itself.</param>
        public void ComputeCommandMac(byte[] chainingValue, byte cla, byte ins, byte p1, byte p2, int lc, byte[] data, int offset, int count, byte[] result)
        {
            ComputeCommandMac(chainingValue, cla, ins, p1, p2, lc, false, data, offset, count, result);
        }

        /// <summary>
        /// Computes the command CMAC as <see cref="ComputeCommandMac(byte[], byte, byte, byte, byte, int, byte[], int, int, byte[])"/>
        /// does, with Lc as sent: one byte, or with <paramref name="extendedLc"/> the three bytes <c>00 hh ll</c> of an extended
        /// APDU, which NXP's SE05x middleware MACs as part of the header under platform SCP03 (se05x_tlv.c se05x_Transform_scp).
        /// </summary>
        /// <param name="chainingValue">The 16-byte MAC chaining value before this command.</param>
        /// <param name="cla">The class byte as sent (with the secure messaging bit).</param>
        /// <param name="ins">The instruction byte.</param>
        /// <param name="p1">Parameter 1.</param>
        /// <param name="p2">Parameter 2.</param>
        /// <param name="lc">Lc as sent: data length plus the C-MAC length (at most 65535 when extended).</param>
        /// <param name="extendedLc">True when Lc is the extended three-byte form.</param>
        /// <param name="data">Buffer holding the (possibly encrypted) command data.</param>
        /// <param name="offset">First data byte.</param>
        /// <param name="count">Data length, without the C-MAC.</param>
        /// <param name="result">Buffer receiving 16 bytes; may be <paramref name="chainingValue"/> itself.</param>
        public void ComputeCommandMac(
            byte[] chainingValue, byte cla, byte ins, byte p1, byte p2, int lc, bool extendedLc, byte[] data, int offset, int count, byte[] result)
        {
            _mac.Reset();
            _mac.Update(chainingValue, 0, Block);
            _mac.Update(Apdu.GpClassByte.ForCommandMac(cla));
            _mac.Update(ins);
            _mac.Update(p1);
            _mac.Update(p2);
            if (extendedLc)
            {
                _mac.Update(0);
                _mac.Update((byte)(lc >> 8));
            }

            _mac.Update((byte)lc);
            _mac.Update(data, offset, count);
            _mac.DoFinal(result, 0, Block);
        }

        /// <summary>Computes the R-MAC: CMAC(S-RMAC, MAC chaining value | data | SW1 SW2), first <see cref="MacLength"/> bytes (Amd D §6.2.5).</summary>
        /// <param name="chainingValue">The 16-byte MAC chaining value of the command this answers.</param>
        /// <param name="data">Buffer holding the (possibly encrypted) response data.</param>
        /// <param name="offset">First data byte.</param>
        /// <param name="count">Data length.</param>
        /// <param name="sw1">SW1.</param>
        /// <param name="sw2">SW2.</param>
        /// <param name="output">Buffer receiving <see cref="MacLength"/> bytes.</param>
        /// <param name="outputOffset">Where the first byte goes.</param>
        public void ComputeResponseMac(byte[] chainingValue, byte[] data, int offset, int count, byte sw1, byte sw2, byte[] output, int outputOffset)
        {
            _rmac.Reset();
            _rmac.Update(chainingValue, 0, Block);
            _rmac.Update(data, offset, count);
            _rmac.Update(sw1);
            _rmac.Update(sw2);
            _rmac.DoFinal(output, outputOffset, MacLength);
        }

        /// <summary>Checks a received R-MAC in constant time.</summary>
        /// <param name="chainingValue">The 16-byte MAC chaining value of the command this answers.</param>
        /// <param name="data">Buffer holding the response data.</param>
        /// <param name="offset">First data byte.</param>
        /// <param name="count">Data length.</param>
        /// <param name="sw1">SW1.</param>
        /// <param name="sw2">SW2.</param>
        /// <param name="mac">Buffer holding the received R-MAC.</param>
        /// <param name="macOffset">First R-MAC byte.</param>
        /// <returns>True when the R-MAC verifies.</returns>
        public bool VerifyResponseMac(byte[] chainingValue, byte[] data, int offset, int count, byte sw1, byte sw2, byte[] mac, int macOffset)
        {
            ComputeResponseMac(chainingValue, data, offset, count, sw1, sw2, _macScratch, 0);
            return ConstantTime.AreEqual(_macScratch, 0, mac, macOffset, MacLength);
        }

        /// <summary>
        /// Pads data with 80 00.. and encrypts it in place with S-ENC in CBC mode. The ICV is AES(S-ENC, counter) for
        /// commands (Amd D §6.2.6) and AES(S-ENC, counter with its first byte set to 80) for responses (§6.2.7).
        /// </summary>
        /// <param name="counter">The 16-byte big-endian encryption counter of the current command.</param>
        /// <param name="response">True for response data (R-ENCRYPTION).</param>
        /// <param name="buffer">Buffer holding the data, with room for up to 16 bytes of padding.</param>
        /// <param name="offset">First data byte.</param>
        /// <param name="count">Data length.</param>
        /// <returns>The encrypted length.</returns>
        public int EncryptData(byte[] counter, bool response, byte[] buffer, int offset, int count)
        {
            ComputeIcv(counter, response);
            int padded = BitPadding.Pad(buffer, offset, count, Block);
            _cbc.Encrypt(_icv, 0, buffer, offset, padded);
            return padded;
        }

        /// <summary>Decrypts data in place (see <see cref="EncryptData"/>) and removes the padding.</summary>
        /// <param name="counter">The 16-byte big-endian encryption counter of the current command.</param>
        /// <param name="response">True for response data (R-ENCRYPTION).</param>
        /// <param name="buffer">Buffer holding the ciphertext; receives the plaintext.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Ciphertext length.</param>
        /// <returns>The plaintext length, or -1 when the length is not whole blocks or the padding is malformed.</returns>
        public int DecryptData(byte[] counter, bool response, byte[] buffer, int offset, int count)
        {
            if (count <= 0 || count % Block != 0)
            {
                return -1;
            }

            ComputeIcv(counter, response);
            _cbc.Decrypt(_icv, 0, buffer, offset, count);
            return BitPadding.Unpad(buffer, offset, count, Block);
        }

        /// <summary>Adds one to a 16-byte big-endian counter in place.</summary>
        /// <param name="counter">The counter.</param>
        public static void IncrementCounter(byte[] counter)
        {
            for (int i = Block - 1; i >= 0; i--)
            {
                if (++counter[i] != 0)
                {
                    return;
                }
            }
        }

        private void ComputeIcv(byte[] counter, bool response)
        {
            Array.Copy(counter, 0, _icv, 0, Block);
            if (response)
            {
                _icv[0] = 0x80;
            }

            _enc.EncryptBlock(_icv, 0, _icv, 0);
        }
    }
}
