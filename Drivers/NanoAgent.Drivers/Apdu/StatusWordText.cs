namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// Plain-words meanings of status words, for logs and diagnostics: ISO/IEC 7816-4 §5.6 (Tables 5 and 6) and the
    /// GlobalPlatform Card Specification v2.3.1 §11 (per-command responses). Allocates the returned string only.
    /// </summary>
    public static class StatusWordText
    {
        private const string HexDigits = "0123456789ABCDEF";

        /// <summary>Describes a status word, for example <c>"6A82: file or application not found"</c>.</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>The four hex digits, a colon and the meaning.</returns>
        public static string Describe(ushort sw)
        {
            return ToHex(sw) + ": " + Meaning(sw);
        }

        /// <summary>Gives the meaning of a status word without the hex prefix.</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>The meaning in plain words; unknown words are classified by SW1.</returns>
        public static string Meaning(ushort sw)
        {
            string exact = Exact(sw);
            if (exact != null)
            {
                return exact;
            }

            int sw2 = sw & 0xFF;
            switch (sw >> 8)
            {
                case 0x61:
                    return Number(StatusWord.AnnouncedLength(sw)) + " more bytes available (GET RESPONSE)";
                case 0x6C:
                    return "wrong Le, exact length is " + Number(StatusWord.AnnouncedLength(sw));
                case 0x62:
                    return sw2 >= 0x02 && sw2 <= 0x80
                        ? "warning, card asks for a query (triggering)"
                        : "warning, memory unchanged";
                case 0x63:
                    if ((sw2 & 0xF0) == 0xC0)
                    {
                        // §5.6 Table 6: 63Cx, counter x (GP and PIN/key verification: tries left).
                        int x = sw2 & 0x0F;
                        return "verification failed, " + Number(x) + (x == 1 ? " try left" : " tries left");
                    }

                    return "warning, memory changed";
                case 0x64:
                    return sw2 >= 0x02 && sw2 <= 0x80
                        ? "execution error, card asks for a query (triggering)"
                        : "execution error, memory unchanged";
                case 0x65:
                    return "execution error, memory changed";
                case 0x66:
                    return "security-related issue";
                case 0x67:
                    return "wrong length";
                case 0x68:
                    return "function in CLA not supported";
                case 0x69:
                    return "command not allowed";
                case 0x6A:
                    return "wrong parameters";
                case 0x6B:
                    return "wrong parameters P1-P2";
                case 0x6D:
                    return "instruction code not supported or invalid";
                case 0x6E:
                    return "class not supported";
                case 0x6F:
                    return "no precise diagnosis";
                case 0x90:
                    return "success with proprietary qualifier";
                default:
                    return "unknown status word";
            }
        }

        private static string Exact(ushort sw)
        {
            switch (sw)
            {
                case 0x9000: return "success";
                case 0x6200: return "warning, no information given, memory unchanged";
                case 0x6281: return "part of returned data may be corrupted";
                case 0x6282: return "end of file or record reached before reading Ne bytes";
                case 0x6283: return "selected file deactivated (GP: card locked)";
                case 0x6284: return "file control information not formatted per §5.3.3";
                case 0x6285: return "selected file in termination state";
                case 0x6286: return "no input data available from a sensor on the card";
                case 0x6300: return "warning, no information given, memory changed (GP: host cryptogram rejected)";
                case 0x6310: return "more data available (GP GET STATUS)";
                case 0x6381: return "file filled up by the last write";
                case 0x6400: return "execution error, memory unchanged";
                case 0x6401: return "immediate response required by the card";
                case 0x6500: return "execution error, memory changed";
                case 0x6581: return "memory failure";
                case 0x6600: return "security-related issue";
                case 0x6700: return "wrong length";
                case 0x6800: return "function in CLA not supported";
                case 0x6881: return "logical channel not supported";
                case 0x6882: return "secure messaging not supported";
                case 0x6883: return "last command of the chain expected";
                case 0x6884: return "command chaining not supported";
                case 0x6900: return "command not allowed";
                case 0x6981: return "command incompatible with file structure";
                case 0x6982: return "security status not satisfied";
                case 0x6983: return "authentication method blocked";
                case 0x6984: return "reference data not usable";
                case 0x6985: return "conditions of use not satisfied";
                case 0x6986: return "command not allowed, no current EF";
                case 0x6987: return "expected secure messaging data objects missing";
                case 0x6988: return "incorrect secure messaging data objects";
                case 0x6A00: return "wrong parameters P1-P2";
                case 0x6A80: return "incorrect parameters in the command data field";
                case 0x6A81: return "function not supported";
                case 0x6A82: return "file or application not found";
                case 0x6A83: return "record not found";
                case 0x6A84: return "not enough memory space";
                case 0x6A85: return "Nc inconsistent with TLV structure";
                case 0x6A86: return "incorrect parameters P1-P2";
                case 0x6A87: return "Nc inconsistent with parameters P1-P2";
                case 0x6A88: return "referenced data or reference data not found";
                case 0x6A89: return "file already exists";
                case 0x6A8A: return "DF name already exists";
                case 0x6B00: return "wrong parameters P1-P2, offset outside the EF";
                case 0x6D00: return "instruction code not supported or invalid";
                case 0x6E00: return "class not supported";
                case 0x6F00: return "no precise diagnosis";
                default: return null;
            }
        }

        private static string ToHex(ushort sw)
        {
            char[] text = new char[4];
            for (int i = 0; i < 4; i++)
            {
                text[i] = HexDigits[(sw >> (12 - (4 * i))) & 0x0F];
            }

            return new string(text);
        }

        private static string Number(int value)
        {
            // Small non-negative numbers only (0 to 256); avoids culture-dependent formatting.
            if (value < 10)
            {
                return new string((char)('0' + value), 1);
            }

            return Number(value / 10) + new string((char)('0' + (value % 10)), 1);
        }
    }
}
