using System;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Messages
{
    /// <summary>Reads and writes the field types of the agent messages with strict ranges (docs/protocol.md §3.1).</summary>
    internal static class TlvFields
    {
        public const byte Version = 0x01;

        /// <summary>The largest message the codecs accept or produce: 64 KiB plus room for one extended APDU.</summary>
        public const int MaxMessage = 0x10000 + 1024;

        public const int MaxIdLength = 32;

        public static int Open(byte[] payload, int offset, int count, MessageType expected, out BerTlvReader body)
        {
            if (payload == null || offset < 0 || count < 0 || offset > payload.Length - count)
            {
                throw new AgentMessageException(AgentMessageError.Truncated, "The payload range lies outside the buffer.");
            }

            if (count > MaxMessage)
            {
                throw new AgentMessageException(AgentMessageError.TooLarge, "The message exceeds the protocol's size limit.");
            }

            if (count < 1)
            {
                throw new AgentMessageException(AgentMessageError.Truncated, "The payload is empty.");
            }

            if (payload[offset] != Version)
            {
                throw new AgentMessageException(AgentMessageError.UnsupportedVersion, "The protocol version is not 01.");
            }

            BerTlvReader outer = new BerTlvReader(payload, offset + 1, count - 1);
            if (!outer.Read())
            {
                throw new AgentMessageException(AgentMessageError.Truncated, "The payload holds only the version byte.");
            }

            if (outer.Tag != (int)expected)
            {
                throw new AgentMessageException(AgentMessageError.UnknownType, "The message is not of the expected type.");
            }

            if (outer.HasMore)
            {
                throw new AgentMessageException(AgentMessageError.BadTlv, "Bytes follow the message.");
            }

            body = outer.OpenValue();
            return outer.ValueLength;
        }

        /// <summary>Marks a field as seen, failing on a repeat; fields are numbered by the low five bits of their tag.</summary>
        public static int Mark(int seen, int tag)
        {
            int bit = 1 << (tag & 0x1F);
            if ((seen & bit) != 0)
            {
                throw new AgentMessageException(AgentMessageError.DuplicateField, "A field appears twice.");
            }

            return seen | bit;
        }

        public static void Require(int seen, int tag)
        {
            if ((seen & (1 << (tag & 0x1F))) == 0)
            {
                throw new AgentMessageException(AgentMessageError.MissingField, "A mandatory field is missing.");
            }
        }

        public static AgentMessageException Unknown()
        {
            return new AgentMessageException(AgentMessageError.InvalidField, "The message holds a field this version does not define.");
        }

        public static int Number(ref BerTlvReader r, int min, int max)
        {
            if (r.ValueLength < 1 || r.ValueLength > 4)
            {
                throw Invalid();
            }

            uint value = r.ValueAsNumber();
            if (value < (uint)min || value > (uint)max)
            {
                throw Invalid();
            }

            return (int)value;
        }

        /// <summary>Reads a tenant counter: 1 to 8 bytes unsigned big-endian (docs/protocol.md §3.1).</summary>
        public static ulong Counter(byte[] buffer, ref BerTlvReader r)
        {
            if (r.ValueLength < 1 || r.ValueLength > 8)
            {
                throw Invalid();
            }

            ulong value = 0;
            for (int i = 0; i < r.ValueLength; i++)
            {
                value = (value << 8) | buffer[r.ValueOffset + i];
            }

            return value;
        }

        public static ushort Sw(byte[] buffer, ref BerTlvReader r)
        {
            if (r.ValueLength != 2)
            {
                throw Invalid();
            }

            return (ushort)((buffer[r.ValueOffset] << 8) | buffer[r.ValueOffset + 1]);
        }

        public static byte[] Bytes(byte[] buffer, ref BerTlvReader r, int min, int max)
        {
            if (r.ValueLength < min || r.ValueLength > max)
            {
                throw Invalid();
            }

            byte[] value = new byte[r.ValueLength];
            Array.Copy(buffer, r.ValueOffset, value, 0, value.Length);
            return value;
        }

        /// <summary>Reads an identifier: 1 to <paramref name="max"/> characters of A-Z a-z 0-9 . _ - (safe in topics and paths).</summary>
        public static string Ident(byte[] buffer, ref BerTlvReader r, int max)
        {
            if (r.ValueLength < 1 || r.ValueLength > max)
            {
                throw Invalid();
            }

            char[] chars = new char[r.ValueLength];
            for (int i = 0; i < chars.Length; i++)
            {
                char c = (char)buffer[r.ValueOffset + i];
                if (!IsIdentChar(c))
                {
                    throw Invalid();
                }

                chars[i] = c;
            }

            return new string(chars);
        }

        public static bool IsIdent(string value, int max)
        {
            if (value == null || value.Length < 1 || value.Length > max)
            {
                return false;
            }

            for (int i = 0; i < value.Length; i++)
            {
                if (!IsIdentChar(value[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public static int IdentSize(string value)
        {
            return 5 + value.Length;
        }

        public static void WriteIdent(BerTlvWriter w, int tag, string value, int max)
        {
            if (!IsIdent(value, max))
            {
                throw Invalid();
            }

            byte[] bytes = new byte[value.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)value[i];
            }

            w.Write(tag, bytes, 0, bytes.Length);
        }

        public static void WriteBytes(BerTlvWriter w, int tag, byte[] value, int min, int max)
        {
            if (value == null || value.Length < min || value.Length > max)
            {
                throw Invalid();
            }

            w.Write(tag, value, 0, value.Length);
        }

        public static void WriteNumber(BerTlvWriter w, int tag, uint value)
        {
            WriteCounter(w, tag, value);
        }

        /// <summary>Writes an unsigned number of up to 8 bytes in its shortest big-endian form.</summary>
        public static void WriteCounter(BerTlvWriter w, int tag, ulong value)
        {
            int length = 1;
            for (ulong rest = value >> 8; rest != 0; rest >>= 8)
            {
                length++;
            }

            byte[] bytes = new byte[length];
            for (int i = bytes.Length - 1; i >= 0; i--)
            {
                bytes[i] = (byte)value;
                value >>= 8;
            }

            w.Write(tag, bytes, 0, bytes.Length);
        }

        public static void WriteSw(BerTlvWriter w, int tag, ushort sw)
        {
            byte[] bytes = new byte[] { (byte)(sw >> 8), (byte)sw };
            w.Write(tag, bytes, 0, 2);
        }

        /// <summary>Writes the version byte and opens the message's outer object; <see cref="End"/> closes it.</summary>
        public static BerTlvWriter Begin(byte[] buffer, MessageType type)
        {
            buffer[0] = Version;
            BerTlvWriter w = new BerTlvWriter(buffer, 1, buffer.Length - 1);
            w.BeginConstructed((int)type);
            return w;
        }

        public static byte[] End(byte[] buffer, BerTlvWriter w)
        {
            w.EndConstructed();
            int length = 1 + w.Finish();
            if (length > MaxMessage)
            {
                throw new AgentMessageException(AgentMessageError.TooLarge, "The message exceeds the protocol's size limit.");
            }

            byte[] message = new byte[length];
            Array.Copy(buffer, 0, message, 0, length);
            return message;
        }

        public static AgentMessageException Invalid()
        {
            return new AgentMessageException(AgentMessageError.InvalidField, "A field has a length or value outside its range.");
        }

        private static bool IsIdentChar(char c)
        {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        }
    }
}
