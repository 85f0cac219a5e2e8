namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// Logical channel number and chaining bit in the class byte. ISO/IEC 7816-4 §5.4.1: the first interindustry
    /// coding (b7 = 0) carries channels 0 to 3 in b2-b1 and secure messaging in b4-b3; the further interindustry coding
    /// (b7 = 1) carries channels 4 to 19 as 4 + b4-b1 and secure messaging in b6. Both keep command chaining in b5.
    /// GlobalPlatform proprietary classes (b8 = 1) use the same bits (GPC v2.3.1 §11.1.4).
    /// </summary>
    public static class LogicalChannel
    {
        /// <summary>The highest logical channel number.</summary>
        public const int MaxChannel = 19;

        /// <summary>CLA bit b5: more commands of the chain follow (§5.1.1).</summary>
        public const byte ChainingBit = 0x10;

        private const byte FurtherBit = 0x40;
        private const byte FirstSecureMessaging = 0x0C;
        private const byte FirstSmHeaderNotProcessed = 0x08;
        private const byte FurtherSecureMessaging = 0x20;

        /// <summary>Returns the logical channel a class byte addresses.</summary>
        /// <param name="cla">The class byte.</param>
        /// <returns>0 to 19.</returns>
        public static int Of(byte cla)
        {
            return (cla & FurtherBit) == 0 ? cla & 0x03 : 4 + (cla & 0x0F);
        }

        /// <summary>Returns whether the chaining bit is set.</summary>
        /// <param name="cla">The class byte.</param>
        /// <returns>True when more commands of the chain follow.</returns>
        public static bool IsChained(byte cla)
        {
            return (cla & ChainingBit) != 0;
        }

        /// <summary>
        /// Re-encodes a class byte for another logical channel, keeping b8 (proprietary), chaining and secure messaging.
        /// </summary>
        /// <param name="cla">The class byte, in either interindustry coding.</param>
        /// <param name="channel">The channel, 0 to 19.</param>
        /// <returns>The class byte addressing <paramref name="channel"/>.</returns>
        /// <exception cref="ApduException">
        /// <see cref="ApduError.InvalidField"/> when the channel is out of range, or when channels 4 to 19 are asked with
        /// secure messaging the further coding cannot express (proprietary, or header authenticated).
        /// </exception>
        public static byte Encode(byte cla, int channel)
        {
            if (channel < 0 || channel > MaxChannel)
            {
                throw new ApduException(ApduError.InvalidField, "A logical channel is 0 to 19.");
            }

            int result = cla & (0x80 | ChainingBit);
            bool further = (cla & FurtherBit) != 0;
            bool secure = further ? (cla & FurtherSecureMessaging) != 0 : (cla & FirstSecureMessaging) != 0;
            if (channel < 4)
            {
                int sm = further ? (secure ? FirstSmHeaderNotProcessed : 0) : cla & FirstSecureMessaging;
                return (byte)(result | sm | channel);
            }

            if (secure && !further && (cla & FirstSecureMessaging) != FirstSmHeaderNotProcessed)
            {
                throw new ApduException(ApduError.InvalidField, "Channels 4 to 19 only carry secure messaging without header authentication.");
            }

            return (byte)(result | FurtherBit | (secure ? FurtherSecureMessaging : 0) | (channel - 4));
        }

        /// <summary>Returns the class byte for an interindustry command without secure messaging or chaining on the channel
        /// of <paramref name="cla"/>, as used for GET RESPONSE.</summary>
        /// <param name="cla">The class byte of the command being answered.</param>
        /// <returns>00 to 03, or 40 to 4F.</returns>
        public static byte PlainClassFor(byte cla)
        {
            int channel = Of(cla);
            return (byte)(channel < 4 ? channel : FurtherBit | (channel - 4));
        }
    }
}
