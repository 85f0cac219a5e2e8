using System;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Gp
{
    /// <summary>
    /// PUT KEY of a whole SCP03 AES key set (GPC v2.3.1 §11.8; GP Amd D §7.2): 80 D8 P1 81 Lc KVN, then for ENC, MAC and DEK
    /// '88' | L | key length | key encrypted with the static Key-DEK of the open session's key set (AES-CBC, zero ICV: SCP03
    /// has no session DEK) | '03' | key check value; then Le 00. A 24-byte key is zero-padded to 32 before encryption.
    /// The card answers KVN and the three KCVs (§11.8.3), which <see cref="CheckResponse"/> compares.
    /// Key bytes never leave this class in clear.
    /// </summary>
    public static class GpPutKey
    {
        /// <summary>P1 to add a new key set.</summary>
        public const byte AddNew = 0x00;

        /// <summary>
        /// Builds PUT KEY for a key set.
        /// </summary>
        /// <param name="newKeys">The keys to put; their key version becomes the new KVN ('01'-'7F').</param>
        /// <param name="sessionKeys">The static keys of the open session (their Key-DEK encrypts the new keys).</param>
        /// <param name="replaceKeyVersion"><see cref="AddNew"/>, or the KVN of the key set to replace.</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Apdu.ApduException">The buffer is too small.</exception>
        public static int Build(Scp03StaticKeys newKeys, Scp03StaticKeys sessionKeys, byte replaceKeyVersion, byte[] apdu, int offset)
        {
            if (newKeys == null || sessionKeys == null)
            {
                throw new ArgumentNullException(newKeys == null ? "newKeys" : "sessionKeys");
            }

            int keyLength = newKeys.KeyLength;
            int encrypted = keyLength == 24 ? 32 : keyLength;
            int lc = 1 + 3 * (3 + encrypted + 1 + Scp03StaticKeys.CheckValueLength);
            GpApdu.Check(apdu, offset, 6 + lc);
            int at = GpApdu.Header(apdu, offset, GpApdu.Cla, 0xD8, replaceKeyVersion, 0x81, lc);
            apdu[at++] = newKeys.KeyVersion;
            CbcCipher cbc = new CbcCipher(sessionKeys.CreateDekCipher());
            byte[] iv = new byte[16];
            byte[] checkValues = new byte[3 * Scp03StaticKeys.CheckValueLength];
            newKeys.GetCheckValues(checkValues, 0);
            at = PutKey(apdu, at, newKeys.Enc, encrypted, cbc, iv, checkValues, 0);
            at = PutKey(apdu, at, newKeys.Mac, encrypted, cbc, iv, checkValues, 3);
            at = PutKey(apdu, at, newKeys.Dek, encrypted, cbc, iv, checkValues, 6);
            apdu[at++] = 0x00;
            return at - offset;
        }

        /// <summary>Checks the PUT KEY response data: the new KVN followed by the KCVs of ENC, MAC and DEK.</summary>
        /// <param name="newKeys">The keys that were put.</param>
        /// <param name="response">Buffer holding the response data (without the status word).</param>
        /// <param name="offset">First data byte.</param>
        /// <param name="count">Data length.</param>
        /// <returns>True when the card confirmed exactly these keys.</returns>
        public static bool CheckResponse(Scp03StaticKeys newKeys, byte[] response, int offset, int count)
        {
            if (newKeys == null || response == null || count != 10 || offset < 0 || offset > response.Length - count
                || response[offset] != newKeys.KeyVersion)
            {
                return false;
            }

            byte[] checkValues = new byte[9];
            newKeys.GetCheckValues(checkValues, 0);
            return ConstantTime.AreEqual(checkValues, 0, response, offset + 1, 9);
        }

        private static int PutKey(byte[] apdu, int at, byte[] key, int encrypted, CbcCipher cbc, byte[] iv, byte[] kcv, int kcvOffset)
        {
            apdu[at++] = 0x88; // GPC §11.1.8: AES
            apdu[at++] = (byte)(1 + encrypted);
            apdu[at++] = (byte)key.Length;
            Array.Clear(apdu, at, encrypted);
            Array.Copy(key, 0, apdu, at, key.Length);
            cbc.Encrypt(iv, 0, apdu, at, encrypted);
            at += encrypted;
            apdu[at++] = Scp03StaticKeys.CheckValueLength;
            Array.Copy(kcv, kcvOffset, apdu, at, Scp03StaticKeys.CheckValueLength);
            return at + Scp03StaticKeys.CheckValueLength;
        }
    }
}
