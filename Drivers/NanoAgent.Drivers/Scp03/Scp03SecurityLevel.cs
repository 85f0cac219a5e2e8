namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// Security level bits of EXTERNAL AUTHENTICATE P1 (GP Amd D §7.1.2.1) and the i parameter bits they need (§5.1).
    /// </summary>
    public static class Scp03SecurityLevel
    {
        /// <summary>No secure messaging after authentication.</summary>
        public const byte None = 0x00;

        /// <summary>C-MAC on every command.</summary>
        public const byte CMac = 0x01;

        /// <summary>C-DECRYPTION: command data encrypted.</summary>
        public const byte CDecryption = 0x02;

        /// <summary>R-MAC on every response.</summary>
        public const byte RMac = 0x10;

        /// <summary>R-ENCRYPTION: response data encrypted.</summary>
        public const byte REncryption = 0x20;

        /// <summary>i parameter bit: S16 mode, 16-byte challenges, cryptograms and MACs (Amd D v1.2 §5.1).</summary>
        public const byte S16Mode = 0x01;

        /// <summary>i parameter bit: pseudo-random card challenge from a sequence counter (§6.2.2.1).</summary>
        public const byte PseudoRandomChallenge = 0x10;

        /// <summary>i parameter bit: R-MAC supported.</summary>
        public const byte RMacSupport = 0x20;

        /// <summary>i parameter bit: R-ENCRYPTION supported (together with <see cref="RMacSupport"/>).</summary>
        public const byte REncryptionSupport = 0x40;

        /// <summary>Tells whether a security level is one Amd D allows and the card's i parameter supports.</summary>
        /// <param name="level">EXTERNAL AUTHENTICATE P1.</param>
        /// <param name="iParameter">The i parameter from INITIALIZE UPDATE.</param>
        /// <returns>True for 00, 01, 03, 11, 13 or 33 when the card supports the response protection asked for.</returns>
        public static bool IsSupported(byte level, byte iParameter)
        {
            // Amd D §7.1.2.1: C-DECRYPTION needs C-MAC, R-MAC needs C-MAC, R-ENCRYPTION needs R-MAC and C-DECRYPTION.
            if (level != 0x00 && level != 0x01 && level != 0x03 && level != 0x11 && level != 0x13 && level != 0x33)
            {
                return false;
            }

            if ((level & RMac) != 0 && (iParameter & RMacSupport) == 0)
            {
                return false;
            }

            return (level & REncryption) == 0 || (iParameter & REncryptionSupport) != 0;
        }
    }
}
