using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Status
{
    /// <summary>Parsers for the GET DATA answers <see cref="ApduKeyInfoSource"/> reads. Never throw on any input.</summary>
    public static class KeyInformation
    {
        /// <summary>
        /// Parses a Key Information Template: 'E0' { 'C0' { key id, KVN, type, length, … } … } (GPC v2.3.1 §11.3.3.1); the
        /// first SCP03 key set (first KVN seen) is reported, and the number of distinct KVNs; request key sets (versions
        /// '60'-'6F', docs/protocol.md §3.9) are skipped.
        /// </summary>
        /// <param name="buffer">Buffer holding the answer without status word.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <param name="info">Receives version, length and number of key sets.</param>
        /// <returns>False when the template is malformed or lists no key.</returns>
        public static bool TryParse(byte[] buffer, int offset, int count, SdKeyInfo info)
        {
            try
            {
                var outer = new BerTlvReader(buffer, offset, count);
                if (!outer.Read() || outer.Tag != 0xE0 || outer.HasMore)
                {
                    return false;
                }

                BerTlvReader r = outer.OpenValue();
                int lastKvn = -1;
                int sets = 0;
                while (r.Read())
                {
                    if (r.Tag != 0xC0 || r.ValueLength < 4)
                    {
                        return false;
                    }

                    int kvn = buffer[r.ValueOffset + 1];
                    if (Drivers.Lifecycle.RequestKey.IsRequestKeyVersion(kvn))
                    {
                        // A request key set (docs/protocol.md §3.9) is not an SCP03 key set: not reported as one.
                        continue;
                    }

                    if (info.KeyVersion < 0)
                    {
                        info.KeyVersion = kvn;
                        info.KeyLength = buffer[r.ValueOffset + 3];
                    }

                    if (kvn != lastKvn)
                    {
                        sets++;
                        lastKvn = kvn;
                    }
                }

                info.KeySets = sets;
                return info.KeyVersion >= 0;
            }
            catch (TlvException)
            {
                return false;
            }
        }

        /// <summary>Parses a sequence counter answer: 'C1' with a 1- to 3-byte value (GPC v2.3.1 §H.3; SCP03 uses 3 bytes).</summary>
        /// <param name="buffer">Buffer holding the answer without status word.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <returns>The counter, or -1 when malformed.</returns>
        public static int ParseCounter(byte[] buffer, int offset, int count)
        {
            try
            {
                var r = new BerTlvReader(buffer, offset, count);
                if (!r.Read() || r.Tag != 0xC1 || r.ValueLength < 1 || r.ValueLength > 3 || r.HasMore)
                {
                    return -1;
                }

                int value = 0;
                for (int i = 0; i < r.ValueLength; i++)
                {
                    value = (value << 8) | buffer[r.ValueOffset + i];
                }

                return value;
            }
            catch (TlvException)
            {
                return -1;
            }
        }
    }
}
