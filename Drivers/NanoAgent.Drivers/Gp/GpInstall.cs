namespace NanoAgent.Drivers.Gp
{
    /// <summary>INSTALL (GPC v2.3.1 §11.5, INS 'E6', P2 '00'): [for install and make selectable] and [for personalization].</summary>
    public static class GpInstall
    {
        /// <summary>Privileges of a Security Domain with Authorized Management (GPC §6.6.1: byte 1 b8, byte 2 b7).</summary>
        /// <returns>A new array 80 40 00.</returns>
        public static byte[] SecurityDomainWithAuthorizedManagement()
        {
            return new byte[] { 0x80, 0x40, 0x00 };
        }

        /// <summary>
        /// Builds INSTALL [for install and make selectable] (P1 '0C', §11.5.2.3.2): 80 E6 0C 00 Lc, then each field with its
        /// length: load file AID, module AID, instance AID, privileges, install parameters ('C9' L application parameters),
        /// an empty token; then Le 00.
        /// </summary>
        /// <param name="loadFileAid">The Executable Load File AID.</param>
        /// <param name="moduleAid">The Executable Module AID.</param>
        /// <param name="instanceAid">The new instance's AID.</param>
        /// <param name="privileges">1 or 3 privilege bytes (GPC §6.6.1).</param>
        /// <param name="applicationParameters">The value of 'C9' (may be empty, not null).</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Apdu.ApduException">An AID or the privileges have a bad length, the data exceeds 255 bytes, or the buffer is too small.</exception>
        public static int BuildForInstallAndMakeSelectable(
            byte[] loadFileAid, byte[] moduleAid, byte[] instanceAid, byte[] privileges, byte[] applicationParameters, byte[] apdu, int offset)
        {
            GpApdu.CheckAid(loadFileAid, 0, loadFileAid == null ? 0 : loadFileAid.Length);
            GpApdu.CheckAid(moduleAid, 0, moduleAid == null ? 0 : moduleAid.Length);
            GpApdu.CheckAid(instanceAid, 0, instanceAid == null ? 0 : instanceAid.Length);
            if (privileges == null || (privileges.Length != 1 && privileges.Length != 3) || applicationParameters == null
                || applicationParameters.Length > 127)
            {
                throw new Apdu.ApduException(Apdu.ApduError.InvalidField, "Privileges are 1 or 3 bytes; application parameters at most 127 bytes.");
            }

            int lc = 1 + loadFileAid.Length + 1 + moduleAid.Length + 1 + instanceAid.Length + 1 + privileges.Length
                + 1 + 2 + applicationParameters.Length + 1;
            GpApdu.Check(apdu, offset, 6 + lc);
            int at = GpApdu.Header(apdu, offset, GpApdu.Cla, 0xE6, 0x0C, 0x00, lc);
            at = GpApdu.PutLv(apdu, at, loadFileAid, 0, loadFileAid.Length);
            at = GpApdu.PutLv(apdu, at, moduleAid, 0, moduleAid.Length);
            at = GpApdu.PutLv(apdu, at, instanceAid, 0, instanceAid.Length);
            at = GpApdu.PutLv(apdu, at, privileges, 0, privileges.Length);
            apdu[at++] = (byte)(2 + applicationParameters.Length);
            apdu[at++] = 0xC9;
            at = GpApdu.PutLv(apdu, at, applicationParameters, 0, applicationParameters.Length);
            apdu[at++] = 0x00; // no install token
            apdu[at++] = 0x00; // Le
            return at - offset;
        }

        /// <summary>
        /// Builds INSTALL [for personalization] (P1 '20', §11.5.2.3.4): 80 E6 20 00 Lc 00 00 L AID 00 00 00, then Le 00.
        /// </summary>
        /// <param name="aid">Buffer holding the AID of the entry to personalise.</param>
        /// <param name="aidOffset">First AID byte.</param>
        /// <param name="aidCount">AID length, 5 to 16.</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Apdu.ApduException">The AID is not 5 to 16 bytes, or the buffer is too small.</exception>
        public static int BuildForPersonalization(byte[] aid, int aidOffset, int aidCount, byte[] apdu, int offset)
        {
            GpApdu.CheckAid(aid, aidOffset, aidCount);
            int lc = 6 + aidCount;
            GpApdu.Check(apdu, offset, 6 + lc);
            int at = GpApdu.Header(apdu, offset, GpApdu.Cla, 0xE6, 0x20, 0x00, lc);
            apdu[at++] = 0x00;
            apdu[at++] = 0x00;
            at = GpApdu.PutLv(apdu, at, aid, aidOffset, aidCount);
            apdu[at++] = 0x00;
            apdu[at++] = 0x00;
            apdu[at++] = 0x00;
            apdu[at++] = 0x00; // Le
            return at - offset;
        }
    }
}
