namespace NanoAgent.Drivers.Gp
{
    /// <summary>SELECT by AID (ISO/IEC 7816-4, GPC v2.3.1 §11.9): 00 A4 04 00 Lc AID 00, first occurrence, FCI returned.</summary>
    public static class GpSelect
    {
        /// <summary>Builds SELECT by AID on the basic channel.</summary>
        /// <param name="aid">Buffer holding the AID.</param>
        /// <param name="aidOffset">First AID byte.</param>
        /// <param name="aidCount">AID length, 5 to 16.</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Apdu.ApduException">The AID is not 5 to 16 bytes, or the buffer is too small.</exception>
        public static int Build(byte[] aid, int aidOffset, int aidCount, byte[] apdu, int offset)
        {
            GpApdu.CheckAid(aid, aidOffset, aidCount);
            GpApdu.Check(apdu, offset, 6 + aidCount);
            int at = GpApdu.Header(apdu, offset, 0x00, 0xA4, 0x04, 0x00, aidCount);
            at = GpApdu.Put(apdu, at, aid, aidOffset, aidCount);
            apdu[at++] = 0x00;
            return at - offset;
        }
    }
}
