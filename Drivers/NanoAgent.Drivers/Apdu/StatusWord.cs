namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// Helpers for the status word SW1 SW2 that ends every response APDU, held as a <see cref="ushort"/>
    /// (SW1 in the high byte). ISO/IEC 7816-4 §5.6.
    /// </summary>
    public static class StatusWord
    {
        /// <summary>9000: normal processing, no further qualification.</summary>
        public const ushort Success = 0x9000;

        /// <summary>6982: security status not satisfied.</summary>
        public const ushort SecurityStatusNotSatisfied = 0x6982;

        /// <summary>6985: conditions of use not satisfied.</summary>
        public const ushort ConditionsNotSatisfied = 0x6985;

        /// <summary>6A82: file or application not found.</summary>
        public const ushort FileNotFound = 0x6A82;

        /// <summary>6A88: referenced data not found.</summary>
        public const ushort ReferencedDataNotFound = 0x6A88;

        /// <summary>6D00: instruction code not supported or invalid.</summary>
        public const ushort InsNotSupported = 0x6D00;

        /// <summary>6E00: class not supported.</summary>
        public const ushort ClaNotSupported = 0x6E00;

        /// <summary>Builds a status word from its two bytes.</summary>
        /// <param name="sw1">First byte.</param>
        /// <param name="sw2">Second byte.</param>
        /// <returns>SW1 SW2 as one value.</returns>
        public static ushort Of(byte sw1, byte sw2)
        {
            return (ushort)((sw1 << 8) | sw2);
        }

        /// <summary>Reads the status word from the last two bytes of a response APDU.</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First byte of the response.</param>
        /// <param name="count">Length of the response, status word included.</param>
        /// <returns>The status word.</returns>
        /// <exception cref="ApduException"><see cref="ApduError.ResponseTooShort"/> when the response has fewer than two bytes or the range is outside the buffer.</exception>
        public static ushort Read(byte[] response, int offset, int count)
        {
            if (response == null || count < 2 || offset < 0 || offset > response.Length - count)
            {
                throw new ApduException(ApduError.ResponseTooShort, "A response APDU ends with two status bytes.");
            }

            return Of(response[offset + count - 2], response[offset + count - 1]);
        }

        /// <summary>Gets SW1.</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>The high byte.</returns>
        public static byte Sw1(ushort sw)
        {
            return (byte)(sw >> 8);
        }

        /// <summary>Gets SW2.</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>The low byte.</returns>
        public static byte Sw2(ushort sw)
        {
            return (byte)sw;
        }

        /// <summary>Returns whether the command completed normally: 9000, or 61xx (more data waiting). §5.6 Table 5.</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>True for normal processing.</returns>
        public static bool IsSuccess(ushort sw)
        {
            return sw == Success || IsMoreData(sw);
        }

        /// <summary>Returns whether the status word is 61xx: SW2 more bytes are waiting for GET RESPONSE (00 means 256).</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>True for 61xx.</returns>
        public static bool IsMoreData(ushort sw)
        {
            return Sw1(sw) == 0x61;
        }

        /// <summary>Returns whether the status word is 6Cxx: wrong Le, SW2 gives the exact length to ask for (00 means 256).</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>True for 6Cxx.</returns>
        public static bool IsWrongLe(ushort sw)
        {
            return Sw1(sw) == 0x6C;
        }

        /// <summary>Returns whether the status word is a warning, 62xx (memory unchanged) or 63xx (memory changed). §5.6 Table 5.</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>True for warnings.</returns>
        public static bool IsWarning(ushort sw)
        {
            byte sw1 = Sw1(sw);
            return sw1 == 0x62 || sw1 == 0x63;
        }

        /// <summary>Returns whether the status word is an error: execution (64xx to 66xx) or checking (67xx to 6Fxx) except 6Cxx. §5.6 Table 5.</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>True for errors.</returns>
        public static bool IsError(ushort sw)
        {
            byte sw1 = Sw1(sw);
            return sw1 >= 0x64 && sw1 <= 0x6F && sw1 != 0x6C;
        }

        /// <summary>Returns the retry counter of a 63Cx status word (verification failed, x tries left), or -1 for any other word.</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>0 to 15, or -1.</returns>
        public static int TriesLeft(ushort sw)
        {
            return (sw & 0xFFF0) == 0x63C0 ? sw & 0x0F : -1;
        }

        /// <summary>Returns the length SW2 announces in 61xx or 6Cxx, where 00 means 256.</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>1 to 256.</returns>
        public static int AnnouncedLength(ushort sw)
        {
            int sw2 = Sw2(sw);
            return sw2 == 0 ? 256 : sw2;
        }
    }
}
