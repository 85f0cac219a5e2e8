using System;
using NanoAgent.Drivers.Crypto;

namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// The SCP03 data derivation scheme: NIST SP 800-108 KDF in counter mode with AES-CMAC as PRF (GP Amd D §4.1.5, §6.2.1).
    /// Each PRF input is: 11 zero bytes | derivation constant | 00 | L (2 bytes, bits) | i (1 byte, from 01) | context.
    /// </summary>
    public static class Scp03Kdf
    {
        /// <summary>Derivation constant of the card cryptogram (Amd D §6.2.2.2).</summary>
        public const byte CardCryptogram = 0x00;

        /// <summary>Derivation constant of the host cryptogram (Amd D §6.2.2.3).</summary>
        public const byte HostCryptogram = 0x01;

        /// <summary>Derivation constant of the pseudo-random card challenge (Amd D §6.2.2.1).</summary>
        public const byte CardChallenge = 0x02;

        /// <summary>Derivation constant of S-ENC (Amd D §6.2.1).</summary>
        public const byte SessionEnc = 0x04;

        /// <summary>Derivation constant of S-MAC (Amd D §6.2.1).</summary>
        public const byte SessionMac = 0x06;

        /// <summary>Derivation constant of S-RMAC (Amd D §6.2.1).</summary>
        public const byte SessionRMac = 0x07;

        /// <summary>
        /// Derives <paramref name="lengthBits"/>/8 bytes. The context is given in two parts (for example host challenge and
        /// card challenge, or sequence counter and AID) so callers need not join them.
        /// </summary>
        /// <param name="prf">AES-CMAC keyed with the derivation key.</param>
        /// <param name="constant">The derivation constant.</param>
        /// <param name="lengthBits">L, the output length in bits: 64, 128, 192 or 256.</param>
        /// <param name="context1">First part of the context.</param>
        /// <param name="offset1">First byte of the first part.</param>
        /// <param name="count1">Length of the first part.</param>
        /// <param name="context2">Second part of the context (may be null when <paramref name="count2"/> is 0).</param>
        /// <param name="offset2">First byte of the second part.</param>
        /// <param name="count2">Length of the second part.</param>
        /// <param name="output">Buffer receiving the derived bytes.</param>
        /// <param name="outputOffset">Where the first derived byte goes.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="lengthBits"/> is not a positive multiple of 64 up to 256.</exception>
        public static void Derive(
            AesCmac prf,
            byte constant,
            int lengthBits,
            byte[] context1,
            int offset1,
            int count1,
            byte[] context2,
            int offset2,
            int count2,
            byte[] output,
            int outputOffset)
        {
            if (lengthBits <= 0 || lengthBits > 256 || lengthBits % 64 != 0)
            {
                throw new ArgumentOutOfRangeException("lengthBits");
            }

            int remaining = lengthBits / 8;
            for (int i = 1; remaining > 0; i++)
            {
                prf.Reset();

                // Amd D §4.1.5: the label is 11 bytes of 00 followed by the derivation constant.
                for (int z = 0; z < 11; z++)
                {
                    prf.Update(0);
                }

                prf.Update(constant);
                prf.Update(0); // separation indicator
                prf.Update((byte)(lengthBits >> 8));
                prf.Update((byte)lengthBits);
                prf.Update((byte)i);
                prf.Update(context1, offset1, count1);
                if (count2 > 0)
                {
                    prf.Update(context2, offset2, count2);
                }

                int take = remaining < AesCmac.MacLength ? remaining : AesCmac.MacLength;
                prf.DoFinal(output, outputOffset, take);
                outputOffset += take;
                remaining -= take;
            }
        }

        /// <summary>
        /// Computes the pseudo-random card challenge (Amd D §6.2.2.1): KDF(Key-ENC, 02, challenge length, sequence counter | AID).
        /// A back end uses this to precompute a session offline.
        /// </summary>
        /// <param name="keyEnc">AES-CMAC keyed with the static Key-ENC.</param>
        /// <param name="sequenceCounter">The 24-bit sequence counter the card reports.</param>
        /// <param name="aid">Buffer holding the AID of the security domain (the invoking application).</param>
        /// <param name="aidOffset">First AID byte.</param>
        /// <param name="aidCount">AID length, 5 to 16.</param>
        /// <param name="challengeLength">8 (S8 mode) or 16 (S16 mode).</param>
        /// <param name="output">Buffer receiving the challenge.</param>
        /// <param name="outputOffset">Where the first challenge byte goes.</param>
        /// <exception cref="SecureChannelException">An argument is out of range (<see cref="SecureChannelError.InvalidArgument"/>).</exception>
        public static void ComputeCardChallenge(
            AesCmac keyEnc,
            int sequenceCounter,
            byte[] aid,
            int aidOffset,
            int aidCount,
            int challengeLength,
            byte[] output,
            int outputOffset)
        {
            if (sequenceCounter < 0 || sequenceCounter > 0xFFFFFF || aid == null || aidCount < 5 || aidCount > 16
                || (challengeLength != 8 && challengeLength != 16))
            {
                throw new SecureChannelException(SecureChannelError.InvalidArgument, "Card challenge needs a 24-bit counter, a 5..16 byte AID and length 8 or 16.");
            }

            // Once per session, so a small allocation is fine here.
            byte[] counter = new byte[3];
            counter[0] = (byte)(sequenceCounter >> 16);
            counter[1] = (byte)(sequenceCounter >> 8);
            counter[2] = (byte)sequenceCounter;
            Derive(keyEnc, CardChallenge, challengeLength * 8, counter, 0, 3, aid, aidOffset, aidCount, output, outputOffset);
        }
    }
}
