namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// Class bytes as GlobalPlatform codes them (GPC v2.3.1 §11.1.4 over ISO/IEC 7816-4 §5.4.1): interindustry (b8 = 0) or
    /// proprietary (b8 = 1); logical channel 0-3 in b2-b1 (first coding, b7 = 0) or 4-19 as 4 + b4-b1 (further coding,
    /// b7 = 1); command chaining in b5; secure messaging in b3 (first coding) or b6 (further coding). The ISO formats with b4
    /// set in the first coding are not GlobalPlatform's and cannot be carried on channels 4 to 19, so they count as invalid
    /// here; so do 'FF', the RFU values '001x xxxx' and '101x xxxx', and a proprietary chained command with secure messaging
    /// (its form on channel 19 would be 'FF', which ISO/IEC 7816-4 §5.4.1 makes invalid; GP chains its long commands with P1,
    /// not with CLA, so nothing is lost).
    /// </summary>
    public static class GpClassByte
    {
        private const byte Proprietary = 0x80;
        private const byte Further = 0x40;
        private const byte FurtherSecureMessaging = 0x20;
        private const byte Chaining = 0x10;
        private const byte FirstIsoSecureMessaging = 0x08;
        private const byte FirstSecureMessaging = 0x04;

        /// <summary>Returns whether a class byte is one GlobalPlatform defines and any logical channel can carry.</summary>
        /// <param name="cla">The class byte.</param>
        /// <returns>False for 'FF', the RFU codings, first-coding values with b4 set, and proprietary chained secured commands.</returns>
        public static bool IsValid(byte cla)
        {
            if (cla == 0xFF || (cla & 0x60) == 0x20)
            {
                return false;
            }

            if ((cla & (Proprietary | Chaining)) == (Proprietary | Chaining) && HasSecureMessaging(cla))
            {
                return false;
            }

            return (cla & Further) != 0 || (cla & FirstIsoSecureMessaging) == 0;
        }

        /// <summary>Returns whether the class byte indicates secure messaging (b3 in the first coding, b6 in the further one).</summary>
        /// <param name="cla">The class byte.</param>
        /// <returns>True when the secure messaging bit is set.</returns>
        public static bool HasSecureMessaging(byte cla)
        {
            return (cla & Further) != 0 ? (cla & FurtherSecureMessaging) != 0 : (cla & FirstSecureMessaging) != 0;
        }

        /// <summary>
        /// Re-encodes a valid class byte for another logical channel, keeping the class (b8), command chaining and secure
        /// messaging; the coding follows the channel (first for 0-3, further for 4-19).
        /// </summary>
        /// <param name="cla">A class byte for which <see cref="IsValid"/> holds.</param>
        /// <param name="channel">The channel, 0 to 19.</param>
        /// <returns>The class byte addressing <paramref name="channel"/>.</returns>
        /// <exception cref="ApduException"><see cref="ApduError.InvalidField"/>: the class byte is not valid or the channel
        /// is out of range.</exception>
        public static byte OnChannel(byte cla, int channel)
        {
            if (!IsValid(cla) || channel < 0 || channel > LogicalChannel.MaxChannel)
            {
                throw new ApduException(ApduError.InvalidField, "The class byte cannot be put on that logical channel.");
            }

            bool secure = HasSecureMessaging(cla);
            int kept = cla & (Proprietary | Chaining);
            if (channel < 4)
            {
                return (byte)(kept | (secure ? FirstSecureMessaging : 0) | channel);
            }

            return (byte)(kept | Further | (secure ? FurtherSecureMessaging : 0) | (channel - 4));
        }

        /// <summary>
        /// Returns the class byte a command's C-MAC covers (GP Amd D §6.2.4): the logical channel number set to zero and the
        /// secure messaging bit set. Channel zero exists only in the first coding (ISO/IEC 7816-4 §5.4.1: the further coding
        /// numbers channels 4 to 19), so a further-coded class byte is MACed as its first-coded form on the basic channel,
        /// for example 'E5' (proprietary, secure messaging, channel 9) as '84'. Every other bit is kept and covered. The MAC
        /// therefore does not depend on the channel: a command wrapped for any channel verifies on every channel.
        /// </summary>
        /// <param name="cla">The class byte as sent.</param>
        /// <returns>The class byte to MAC.</returns>
        public static byte ForCommandMac(byte cla)
        {
            if ((cla & Further) != 0)
            {
                return (byte)((cla & (Proprietary | Chaining)) | FirstSecureMessaging);
            }

            return (byte)((cla & ~0x03) | FirstSecureMessaging);
        }
    }
}
