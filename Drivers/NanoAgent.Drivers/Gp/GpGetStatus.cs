namespace NanoAgent.Drivers.Gp
{
    /// <summary>
    /// GET STATUS (GPC v2.3.1 §11.4, INS 'F2') in the tag-list format (P2 b2 = 1): 80 F2 P1 P2 Lc '4F' L AID-prefix 00.
    /// Parse the 'E3' templates of the answer with <see cref="GpStatusParser"/>; '6310' means "send again with next".
    /// </summary>
    public static class GpGetStatus
    {
        /// <summary>P1: the Issuer Security Domain.</summary>
        public const byte Isd = 0x80;

        /// <summary>P1: applications and Supplementary Security Domains.</summary>
        public const byte Applications = 0x40;

        /// <summary>P1: Executable Load Files.</summary>
        public const byte LoadFiles = 0x20;

        /// <summary>P1: Executable Load Files and their Executable Modules.</summary>
        public const byte LoadFilesAndModules = 0x10;

        /// <summary>Builds GET STATUS.</summary>
        /// <param name="subset">P1: <see cref="Isd"/>, <see cref="Applications"/>, <see cref="LoadFiles"/> or <see cref="LoadFilesAndModules"/>.</param>
        /// <param name="next">True for the next occurrence after '6310' (P2 b1).</param>
        /// <param name="aidPrefix">Buffer holding the AID prefix to match (may be empty for all).</param>
        /// <param name="prefixOffset">First prefix byte.</param>
        /// <param name="prefixCount">Prefix length, 0 to 16.</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Apdu.ApduException">The prefix is longer than 16 bytes, or the buffer is too small.</exception>
        public static int Build(byte subset, bool next, byte[] aidPrefix, int prefixOffset, int prefixCount, byte[] apdu, int offset)
        {
            if (prefixCount < 0 || prefixCount > 16 || (prefixCount > 0 && (aidPrefix == null || prefixOffset < 0 || prefixOffset > aidPrefix.Length - prefixCount)))
            {
                throw new Apdu.ApduException(Apdu.ApduError.InvalidField, "The AID prefix is 0 to 16 bytes.");
            }

            GpApdu.Check(apdu, offset, 8 + prefixCount);
            int at = GpApdu.Header(apdu, offset, GpApdu.Cla, 0xF2, subset, next ? (byte)0x03 : (byte)0x02, 2 + prefixCount);
            apdu[at++] = 0x4F;
            apdu[at++] = (byte)prefixCount;
            if (prefixCount > 0)
            {
                at = GpApdu.Put(apdu, at, aidPrefix, prefixOffset, prefixCount);
            }

            apdu[at++] = 0x00;
            return at - offset;
        }
    }
}
