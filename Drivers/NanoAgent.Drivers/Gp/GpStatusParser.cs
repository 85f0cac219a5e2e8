using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Drivers.Gp
{
    /// <summary>
    /// Parses the response data of GET STATUS in the tag-list format (GPC v2.3.1 §11.4.3.1): a sequence of 'E3' templates
    /// holding '4F' AID, '9F70' life cycle, 'C5' privileges, 'C4' load file, 'CC' associated SD and '84' modules.
    /// Unknown tags inside a template are skipped. Malformed input gives -1, never an exception.
    /// </summary>
    public static class GpStatusParser
    {
        /// <summary>Parses the response data into entries.</summary>
        /// <param name="data">Buffer holding the response data (without status word).</param>
        /// <param name="offset">First data byte.</param>
        /// <param name="count">Data length.</param>
        /// <param name="entries">Array receiving new entries.</param>
        /// <param name="entriesOffset">Where the first entry goes.</param>
        /// <returns>The number of entries written, or -1 when the data is malformed, lacks a '4F', or does not fit the array.</returns>
        public static int Parse(byte[] data, int offset, int count, GpRegistryEntry[] entries, int entriesOffset)
        {
            if (data == null || entries == null || offset < 0 || count < 0 || offset > data.Length - count
                || entriesOffset < 0 || entriesOffset > entries.Length)
            {
                return -1;
            }

            try
            {
                BerTlvReader reader = new BerTlvReader(data, offset, count);
                int n = 0;
                while (reader.Read())
                {
                    if (reader.Tag != 0xE3 || entriesOffset + n >= entries.Length)
                    {
                        return -1;
                    }

                    GpRegistryEntry entry = ParseTemplate(data, reader.OpenValue());
                    if (entry == null)
                    {
                        return -1;
                    }

                    entries[entriesOffset + n] = entry;
                    n++;
                }

                return n;
            }
            catch (TlvException)
            {
                return -1;
            }
        }

        private static GpRegistryEntry ParseTemplate(byte[] data, BerTlvReader inner)
        {
            GpRegistryEntry entry = new GpRegistryEntry();
            entry.Privileges = new byte[0];
            while (inner.Read())
            {
                switch (inner.Tag)
                {
                    case 0x4F:
                        entry.Aid = Copy(data, inner);
                        break;
                    case 0x9F70:
                        if (inner.ValueLength < 1)
                        {
                            return null;
                        }

                        entry.LifeCycle = data[inner.ValueOffset];
                        break;
                    case 0xC5:
                        entry.Privileges = Copy(data, inner);
                        break;
                    case 0xC4:
                        entry.ExecutableLoadFile = Copy(data, inner);
                        break;
                    case 0xCC:
                        entry.AssociatedSecurityDomain = Copy(data, inner);
                        break;
                    case 0x84:
                        entry.ModuleCount++;
                        break;
                }
            }

            return entry.Aid == null ? null : entry;
        }

        private static byte[] Copy(byte[] data, BerTlvReader tlv)
        {
            byte[] value = new byte[tlv.ValueLength];
            System.Array.Copy(data, tlv.ValueOffset, value, 0, tlv.ValueLength);
            return value;
        }
    }
}
