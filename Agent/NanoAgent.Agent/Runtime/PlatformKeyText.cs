using System;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// Reads the board's platform SCP03 key set from text in the configuration's <c>key = value</c> form:
    /// <c>kvn = 01</c>, <c>enc = 32 hex</c>, <c>mac = 32 hex</c>, <c>dek = 32 hex</c> (AES-128; 48 or 64 hex digits for
    /// AES-192/256, all three the same length). The file holds secrets: keep it only on the board's internal flash.
    /// </summary>
    public static class PlatformKeyText
    {
        /// <summary>Parses a key set of AES-128, AES-192 or AES-256 keys.</summary>
        /// <param name="text">The file's content.</param>
        /// <param name="ciphers">The platform's AES.</param>
        /// <returns>The key set.</returns>
        /// <exception cref="AgentConfigException">The text is malformed, a key is missing, or the key lengths differ.</exception>
        public static Scp03StaticKeys Parse(string text, IBlockCipherFactory ciphers)
        {
            return Parse(text, ciphers, 32);
        }

        /// <summary>Parses a key set, refusing keys longer than the platform's AES runs.</summary>
        /// <param name="text">The file's content.</param>
        /// <param name="ciphers">The platform's AES.</param>
        /// <param name="maxKeyLength">The longest AES key the platform's AES runs: 16, 24 or 32 bytes.</param>
        /// <returns>The key set.</returns>
        /// <exception cref="AgentConfigException">The text is malformed, a key is missing, the key lengths differ, or the keys
        /// are longer than <paramref name="maxKeyLength"/>.</exception>
        public static Scp03StaticKeys Parse(string text, IBlockCipherFactory ciphers, int maxKeyLength)
        {
            if (ciphers == null)
            {
                throw new ArgumentNullException("ciphers");
            }

            byte[] kvn = null;
            byte[] enc = null;
            byte[] mac = null;
            byte[] dek = null;
            ConfigLineReader reader = new ConfigLineReader(text);
            while (reader.Next())
            {
                string key = reader.Key;
                byte[] value;
                if (key == "kvn")
                {
                    value = ConfigValues.Hex(reader.Value, reader.Line, key, 1, 1);
                }
                else if (key == "enc" || key == "mac" || key == "dek")
                {
                    value = ConfigValues.Hex(reader.Value, reader.Line, key, 16, 32);
                    if (value.Length != 16 && value.Length != 24 && value.Length != 32)
                    {
                        throw ConfigValues.Bad(reader.Line, key, "an AES key of 16, 24 or 32 bytes");
                    }
                }
                else
                {
                    throw new AgentConfigException(AgentConfigError.UnknownKey, reader.Line, "unknown key '" + key + "' (kvn, enc, mac, dek)");
                }

                if ((key == "kvn" && kvn != null) || (key == "enc" && enc != null) || (key == "mac" && mac != null) || (key == "dek" && dek != null))
                {
                    throw new AgentConfigException(AgentConfigError.Duplicate, reader.Line, "'" + key + "' appears twice");
                }

                if (key == "kvn")
                {
                    kvn = value;
                }
                else if (key == "enc")
                {
                    enc = value;
                }
                else if (key == "mac")
                {
                    mac = value;
                }
                else
                {
                    dek = value;
                }
            }

            if (kvn == null || enc == null || mac == null || dek == null)
            {
                throw new AgentConfigException(AgentConfigError.Missing, 0, "the platform key file needs kvn, enc, mac and dek");
            }

            if (enc.Length != mac.Length || enc.Length != dek.Length)
            {
                throw new AgentConfigException(AgentConfigError.BadValue, 0, "enc, mac and dek must have the same length");
            }

            if (enc.Length > maxKeyLength)
            {
                // Refused here, at boot, rather than by the first block the cipher would fail to encrypt.
                throw new AgentConfigException(
                    AgentConfigError.BadValue,
                    0,
                    "the platform keys are AES-" + (enc.Length * 8).ToString() + " but this board's AES runs only up to AES-" + (maxKeyLength * 8).ToString()
                    + ": put AES-" + (maxKeyLength * 8).ToString() + " keys (" + (maxKeyLength * 2).ToString() + " hex digits each) on the SE and in this file");
            }

            Scp03StaticKeys keys = new Scp03StaticKeys(ciphers, kvn[0], enc, mac, dek);
            Array.Clear(enc, 0, enc.Length);
            Array.Clear(mac, 0, mac.Length);
            Array.Clear(dek, 0, dek.Length);
            return keys;
        }
    }
}
