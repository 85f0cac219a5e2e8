namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// The version the IoT applet reports in its SELECT answer (raw bytes, no TLV) or in GetVersion's TLV[TAG_1]:
    /// major, minor, patch, then on 5- and 7-byte answers a 2-byte applet configuration (AN12413 AppletConfig bit map,
    /// middleware SE05x_AppletConfig_t, for example 2000 = I2C master) and on 7-byte answers a 2-byte secure box version.
    /// The middleware (sm_connect.c) accepts 4-, 5- and 7-byte answers; byte 3 of a 4-byte answer is a revision letter.
    /// </summary>
    public struct Se05xAppletVersion
    {
        /// <summary>AppletConfig bit of the I2C master (kSE05x_AppletConfig_I2CM).</summary>
        public const int ConfigI2cMaster = 0x2000;

        /// <summary>The largest command payload of applet 3.x (SE050): MAX_APDU_PAYLOAD_LENGTH 892 (se05x_const.h).</summary>
        public const int MaxPayloadApplet3 = 892;

        /// <summary>The largest command payload of applet 7.2 and later (SE051): 1024 (se05x_const.h SSS_HAVE_SE05X_VER_GTE_07_02).</summary>
        public const int MaxPayloadApplet7 = 1024;

        /// <summary>Gets the major version.</summary>
        public byte Major { get; private set; }

        /// <summary>Gets the minor version.</summary>
        public byte Minor { get; private set; }

        /// <summary>Gets the patch version.</summary>
        public byte Patch { get; private set; }

        /// <summary>Gets the applet configuration bit map, 0 when the answer has none.</summary>
        public int Config { get; private set; }

        /// <summary>Gets the secure box version, 0 when the answer has none.</summary>
        public int SecureBoxVersion { get; private set; }

        /// <summary>Gets the largest command payload this applet version takes: 1024 from 7.2 on, else 892.</summary>
        public int MaxPayload
        {
            get { return Major > 7 || (Major == 7 && Minor >= 2) ? MaxPayloadApplet7 : MaxPayloadApplet3; }
        }

        /// <summary>
        /// Gets a value indicating whether the platform SCP03 channel counts only commands with data in its encryption
        /// counter: applets below 4.3 (SE050), per NXP middleware fsl_sss_se05x_apis.c (appletVersion &lt; 0x04030000). Set
        /// <see cref="Scp03.PlatformScp03Transport.CountsCommandsWithDataOnly"/> from it before opening the platform channel.
        /// </summary>
        public bool PlatformScpCountsDataCommandsOnly
        {
            get { return Major < 4 || (Major == 4 && Minor < 3); }
        }

        /// <summary>Gets a value indicating whether the applet says it has the I2C master enabled; false when unknown.</summary>
        public bool HasI2cMaster
        {
            get { return (Config & ConfigI2cMaster) != 0; }
        }

        /// <summary>Parses the data of a SELECT answer (without the status word) or a GetVersion TAG_1 value.</summary>
        /// <param name="data">Buffer holding the version bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">4, 5 or 7.</param>
        /// <param name="version">The version when the method returns true.</param>
        /// <returns>False when the length is not one the applet uses.</returns>
        public static bool TryParse(byte[] data, int offset, int count, out Se05xAppletVersion version)
        {
            version = new Se05xAppletVersion();
            if (data == null || offset < 0 || offset > data.Length - count || (count != 4 && count != 5 && count != 7))
            {
                return false;
            }

            version.Major = data[offset];
            version.Minor = data[offset + 1];
            version.Patch = data[offset + 2];
            if (count >= 5)
            {
                version.Config = (data[offset + 3] << 8) | data[offset + 4];
            }

            if (count == 7)
            {
                version.SecureBoxVersion = (data[offset + 5] << 8) | data[offset + 6];
            }

            return true;
        }
    }
}
