using System;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Gp
{
    /// <summary>Shared checks and header writing of the GlobalPlatform command builders (short APDUs, GPC v2.3.1 §11.1).</summary>
    internal static class GpApdu
    {
        /// <summary>The GlobalPlatform class byte on the basic channel without secure messaging (GPC §11.1.4).</summary>
        public const byte Cla = 0x80;

        public static void Check(byte[] apdu, int offset, int length)
        {
            if (apdu == null || offset < 0 || offset > apdu.Length - length)
            {
                throw new ApduException(ApduError.BufferTooSmall, "The command APDU does not fit the buffer.");
            }

            if (length - 5 > 255)
            {
                throw new ApduException(ApduError.InvalidField, "The data field exceeds 255 bytes (short APDU).");
            }
        }

        public static void CheckAid(byte[] aid, int offset, int count)
        {
            if (aid == null || count < 5 || count > 16 || offset < 0 || offset > aid.Length - count)
            {
                throw new ApduException(ApduError.InvalidField, "An AID is 5 to 16 bytes (ISO/IEC 7816-5).");
            }
        }

        public static int Header(byte[] apdu, int offset, byte cla, byte ins, byte p1, byte p2, int lc)
        {
            apdu[offset] = cla;
            apdu[offset + 1] = ins;
            apdu[offset + 2] = p1;
            apdu[offset + 3] = p2;
            if (lc > 0)
            {
                apdu[offset + 4] = (byte)lc;
                return offset + 5;
            }

            return offset + 4;
        }

        public static int Put(byte[] apdu, int at, byte[] value, int offset, int count)
        {
            Array.Copy(value, offset, apdu, at, count);
            return at + count;
        }

        public static int PutLv(byte[] apdu, int at, byte[] value, int offset, int count)
        {
            apdu[at] = (byte)count;
            return Put(apdu, at + 1, value, offset, count);
        }
    }
}
