namespace NanoAgent.Drivers.T1
{
    /// <summary>
    /// CRC-16/X-25 (ISO/IEC 13239 / ISO 3309 FCS): reflected polynomial 0x1021 (0x8408), initial value 0xFFFF,
    /// final XOR 0xFFFF. Both SE05x T=1oI2C (UM11225) and GP T=1' (GPC_SPE_172) use it; they differ only in
    /// the byte order on the wire. Check value: "123456789" gives 0x906E.
    /// </summary>
    public static class Crc16X25
    {
        private static readonly ushort[] Table = BuildTable();

        /// <summary>Computes the CRC of <paramref name="count"/> bytes.</summary>
        /// <param name="data">Source buffer.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The CRC value.</returns>
        public static ushort Compute(byte[] data, int offset, int count)
        {
            int crc = 0xFFFF;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = (crc >> 8) ^ Table[(crc ^ data[i]) & 0xFF];
            }

            return (ushort)(crc ^ 0xFFFF);
        }

        private static ushort[] BuildTable()
        {
            ushort[] table = new ushort[256];
            for (int i = 0; i < 256; i++)
            {
                int value = i;
                for (int bit = 0; bit < 8; bit++)
                {
                    value = (value & 1) != 0 ? (value >> 1) ^ 0x8408 : value >> 1;
                }

                table[i] = (ushort)value;
            }

            return table;
        }
    }
}
