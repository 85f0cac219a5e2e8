using System;

namespace NanoAgent.Drivers.Apdu
{
    /// <summary>Re-encodes command APDUs between the short and extended forms (ISO/IEC 7816-4 §5.1).</summary>
    internal static class CommandApduForms
    {
        /// <summary>
        /// Writes a command in the extended form: Lc <c>00 hh ll</c> (none without data) and, when it had one, Le <c>00 00</c>
        /// (Ne 65536) or, without data, <c>00 00 00</c>. The output may not overlap the command's data.
        /// </summary>
        /// <param name="command">Buffer holding the command.</param>
        /// <param name="view">The parsed command.</param>
        /// <param name="output">Destination.</param>
        /// <param name="outputOffset">Where the CLA byte goes.</param>
        /// <returns>The length written.</returns>
        public static int ToExtended(byte[] command, CommandApduView view, byte[] output, int outputOffset)
        {
            int p = outputOffset;
            output[p++] = view.Cla;
            output[p++] = view.Ins;
            output[p++] = view.P1;
            output[p++] = view.P2;
            if (view.Nc > 0)
            {
                output[p++] = 0;
                output[p++] = (byte)(view.Nc >> 8);
                output[p++] = (byte)view.Nc;
                Array.Copy(command, view.DataOffset, output, p, view.Nc);
                p += view.Nc;
            }
            else if (view.HasLe)
            {
                output[p++] = 0;
            }

            if (view.HasLe)
            {
                output[p++] = 0;
                output[p++] = 0;
            }

            return p - outputOffset;
        }
    }
}
