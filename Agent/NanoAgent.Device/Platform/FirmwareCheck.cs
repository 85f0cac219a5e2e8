using System;
using System.IO;
using NanoAgent.Drivers.Device.Crypto;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// Boot probes of the native parts the application needs, so a firmware without them halts with the assembly's name
    /// instead of failing later. A firmware missing a native assembly the application references is normally refused at
    /// deployment already; these probes catch an image whose native part exists but throws (not implemented on the target)
    /// or, for AES, computes something else than FIPS-197.
    /// </summary>
    public static class FirmwareCheck
    {
        // FIPS-197 Appendix C.1 (AES-128): key 000102...0F, plaintext 00112233...FF, ciphertext 69C4E0D8...C55A.
        private static readonly byte[] Fips197Ciphertext = new byte[]
        {
            0x69, 0xC4, 0xE0, 0xD8, 0x6A, 0x7B, 0x04, 0x30, 0xD8, 0xCD, 0xB7, 0x80, 0x70, 0xB4, 0xC5, 0x5A,
        };

        /// <summary>Looks for a file on a drive, telling a missing file system apart from a missing file.</summary>
        /// <param name="path">The file.</param>
        /// <param name="error">Receives the file system's exception message when the call threw, else null.</param>
        /// <returns>True when the file exists.</returns>
        public static bool FileExists(string path, out string error)
        {
            error = null;
            try
            {
                return File.Exists(path);
            }
            catch (Exception e)
            {
                error = e.GetType().Name + ": " + e.Message;
                return false;
            }
        }

        /// <summary>Encrypts the FIPS-197 C.1 block with the native AES-128 (through <see cref="NanoAes"/>).</summary>
        /// <returns>Null when the answer is right; otherwise what went wrong, in plain words.</returns>
        public static string CheckAes128()
        {
            byte[] key = new byte[16];
            byte[] plain = new byte[16];
            for (int i = 0; i < 16; i++)
            {
                key[i] = (byte)i;
                plain[i] = (byte)((i << 4) | i);
            }

            byte[] cipher = new byte[16];
            try
            {
                new NanoAes(key, 0, 16).EncryptBlock(plain, 0, cipher, 0);
            }
            catch (Exception e)
            {
                return e.GetType().Name + ": " + e.Message;
            }

            for (int i = 0; i < 16; i++)
            {
                if (cipher[i] != Fips197Ciphertext[i])
                {
                    return "the native Aes does not give the FIPS-197 C.1 ciphertext";
                }
            }

            return null;
        }
    }
}
