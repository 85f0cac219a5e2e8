namespace NanoAgent.Drivers.Gp
{
    /// <summary>GET DATA (GPC v2.3.1 §11.3): 80 CA P1-P2 = tag 00. For example '9F7F' CPLC, '0066' card data, '00E0' key information.</summary>
    public static class GpGetData
    {
        /// <summary>Builds GET DATA for a one- or two-byte tag.</summary>
        /// <param name="tag">The tag, '0000' to 'FFFF'.</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length, 5.</returns>
        /// <exception cref="Apdu.ApduException">The buffer is too small.</exception>
        public static int Build(int tag, byte[] apdu, int offset)
        {
            GpApdu.Check(apdu, offset, 5);
            int at = GpApdu.Header(apdu, offset, GpApdu.Cla, 0xCA, (byte)(tag >> 8), (byte)tag, 0);
            apdu[at++] = 0x00;
            return at - offset;
        }
    }
}
