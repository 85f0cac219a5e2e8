using System;

namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// Encodes command APDUs (cases 1 to 4, short or extended) into a caller's buffer. The reverse of
    /// <see cref="CommandApduView"/>. ISO/IEC 7816-4 §5.1.
    /// </summary>
    public static class CommandApdu
    {
        /// <summary>The largest data field (Nc) a command APDU can carry.</summary>
        public const int MaxNc = 65535;

        /// <summary>The largest expected response length (Ne) a command APDU can ask for.</summary>
        public const int MaxNe = 65536;

        /// <summary>Returns whether the command needs the extended length form.</summary>
        /// <param name="nc">Length of the data field.</param>
        /// <param name="ne">Expected response length, 0 for no Le field.</param>
        /// <returns>True when Nc exceeds 255 or Ne exceeds 256.</returns>
        public static bool NeedsExtended(int nc, int ne)
        {
            return nc > 255 || ne > 256;
        }

        /// <summary>Returns the encoded length of a command APDU.</summary>
        /// <param name="nc">Length of the data field (0 to 65535).</param>
        /// <param name="ne">Expected response length: 0 for no Le field, else 1 to 65536.</param>
        /// <param name="form">Short, extended, or chosen automatically.</param>
        /// <returns>The number of bytes <see cref="Write"/> produces.</returns>
        /// <exception cref="ApduException"><see cref="ApduError.InvalidField"/> when Nc or Ne is out of range for the form.</exception>
        public static int EncodedLength(int nc, int ne, ApduLengthForm form)
        {
            bool extended = ChooseExtended(nc, ne, form);
            int length = 4;
            if (nc > 0)
            {
                length += (extended ? 3 : 1) + nc;
            }

            if (ne > 0)
            {
                // §5.1: an extended Le is two bytes after an extended Lc, three (00 + 2) when Lc is absent.
                length += extended ? (nc > 0 ? 2 : 3) : 1;
            }

            return length;
        }

        /// <summary>Writes a command APDU into a buffer.</summary>
        /// <param name="cla">Class byte.</param>
        /// <param name="ins">Instruction byte.</param>
        /// <param name="p1">Parameter 1.</param>
        /// <param name="p2">Parameter 2.</param>
        /// <param name="data">Buffer holding the data field; may be null when <paramref name="nc"/> is 0.</param>
        /// <param name="dataOffset">First data byte.</param>
        /// <param name="nc">Length of the data field (0 to 65535).</param>
        /// <param name="ne">Expected response length: 0 for no Le field, else 1 to 65536 (256 and 65536 encode as 00).</param>
        /// <param name="form">Short, extended, or chosen automatically.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The number of bytes written.</returns>
        /// <exception cref="ApduException">
        /// <see cref="ApduError.InvalidField"/> when Nc, Ne or the data range is invalid;
        /// <see cref="ApduError.BufferTooSmall"/> when the APDU does not fit.
        /// </exception>
        public static int Write(
            byte cla, byte ins, byte p1, byte p2, byte[] data, int dataOffset, int nc, int ne,
            ApduLengthForm form, byte[] buffer, int offset)
        {
            int length = EncodedLength(nc, ne, form);
            if (nc > 0 && (data == null || dataOffset < 0 || dataOffset > data.Length - nc))
            {
                throw new ApduException(ApduError.InvalidField, "The data range lies outside the data buffer.");
            }

            if (buffer == null || offset < 0 || offset > buffer.Length - length)
            {
                throw new ApduException(ApduError.BufferTooSmall, "The command APDU does not fit the buffer.");
            }

            bool extended = ChooseExtended(nc, ne, form);
            int i = offset;
            buffer[i++] = cla;
            buffer[i++] = ins;
            buffer[i++] = p1;
            buffer[i++] = p2;
            if (nc > 0)
            {
                if (extended)
                {
                    // §5.1: extended Lc is 00 followed by two bytes.
                    buffer[i++] = 0;
                    buffer[i++] = (byte)(nc >> 8);
                }

                buffer[i++] = (byte)nc;
                Array.Copy(data, dataOffset, buffer, i, nc);
                i += nc;
            }

            if (ne > 0)
            {
                if (extended)
                {
                    if (nc == 0)
                    {
                        buffer[i++] = 0;
                    }

                    // Ne = 65536 encodes as 0000 (the mask does it).
                    buffer[i++] = (byte)(ne >> 8);
                }

                // Ne = 256 encodes as 00 in the short form.
                buffer[i++] = (byte)ne;
            }

            return i - offset;
        }

        private static bool ChooseExtended(int nc, int ne, ApduLengthForm form)
        {
            if (nc < 0 || nc > MaxNc)
            {
                throw new ApduException(ApduError.InvalidField, "Nc must be between 0 and 65535.");
            }

            if (ne < 0 || ne > MaxNe)
            {
                throw new ApduException(ApduError.InvalidField, "Ne must be between 0 and 65536.");
            }

            bool needs = NeedsExtended(nc, ne);
            if (form == ApduLengthForm.Short && needs)
            {
                throw new ApduException(ApduError.InvalidField, "A short APDU carries at most 255 data bytes and asks for at most 256.");
            }

            return form == ApduLengthForm.Extended || needs;
        }
    }
}
