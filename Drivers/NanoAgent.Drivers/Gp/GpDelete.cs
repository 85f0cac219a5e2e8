namespace NanoAgent.Drivers.Gp
{
    /// <summary>DELETE (GPC v2.3.1 §11.2, INS 'E4', P1 '00' last or only command) of a card content entry or of a key set.</summary>
    public static class GpDelete
    {
        /// <summary>Builds DELETE of an application, SSD or load file: 80 E4 00 P2 Lc '4F' L AID 00.</summary>
        /// <param name="aid">Buffer holding the AID.</param>
        /// <param name="aidOffset">First AID byte.</param>
        /// <param name="aidCount">AID length, 5 to 16.</param>
        /// <param name="related">True for P2 '80': delete the object and its related objects (§11.2.2.2).</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Apdu.ApduException">The AID is not 5 to 16 bytes, or the buffer is too small.</exception>
        public static int BuildAid(byte[] aid, int aidOffset, int aidCount, bool related, byte[] apdu, int offset)
        {
            GpApdu.CheckAid(aid, aidOffset, aidCount);
            GpApdu.Check(apdu, offset, 8 + aidCount);
            int at = GpApdu.Header(apdu, offset, GpApdu.Cla, 0xE4, 0x00, related ? (byte)0x80 : (byte)0x00, 2 + aidCount);
            apdu[at++] = 0x4F;
            at = GpApdu.PutLv(apdu, at, aid, aidOffset, aidCount);
            apdu[at++] = 0x00;
            return at - offset;
        }

        /// <summary>Builds DELETE [key] of a whole key set by version (§11.2.2.3, tag 'D2'): 80 E4 00 00 03 D2 01 KVN 00.</summary>
        /// <param name="keyVersion">The key version number.</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length, 9.</returns>
        /// <exception cref="Apdu.ApduException">The buffer is too small.</exception>
        public static int BuildKeySet(byte keyVersion, byte[] apdu, int offset)
        {
            GpApdu.Check(apdu, offset, 9);
            int at = GpApdu.Header(apdu, offset, GpApdu.Cla, 0xE4, 0x00, 0x00, 3);
            apdu[at++] = 0xD2;
            apdu[at++] = 0x01;
            apdu[at++] = keyVersion;
            apdu[at++] = 0x00;
            return at - offset;
        }
    }
}
