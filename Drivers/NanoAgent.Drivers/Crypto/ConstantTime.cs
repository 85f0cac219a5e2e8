namespace NanoAgent.Drivers.Crypto
{
    /// <summary>
    /// Comparisons whose running time does not depend on where the inputs differ, for MACs and cryptograms.
    /// </summary>
    public static class ConstantTime
    {
        /// <summary>Compares two byte ranges of the same length, always reading every byte.</summary>
        /// <param name="a">First buffer.</param>
        /// <param name="aOffset">First byte in <paramref name="a"/>.</param>
        /// <param name="b">Second buffer.</param>
        /// <param name="bOffset">First byte in <paramref name="b"/>.</param>
        /// <param name="count">Number of bytes to compare.</param>
        /// <returns>True when all <paramref name="count"/> bytes are equal.</returns>
        public static bool AreEqual(byte[] a, int aOffset, byte[] b, int bOffset, int count)
        {
            int diff = 0;
            for (int i = 0; i < count; i++)
            {
                diff |= a[aOffset + i] ^ b[bOffset + i];
            }

            return diff == 0;
        }
    }
}
