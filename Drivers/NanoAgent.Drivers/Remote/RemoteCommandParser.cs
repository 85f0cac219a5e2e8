namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// Reads a command message body: an ASCII JSON object with <c>data</c> (hexadecimal string, optional),
    /// <c>request</c> (integer) and <c>timeout</c> (milliseconds), per the README "Command Message" table. Other members are
    /// skipped. Pure: never throws for any input, and allocates nothing.
    /// </summary>
    public static class RemoteCommandParser
    {
            /// <summary>Parses one command message body.</summary>
        /// <param name="body">The buffer holding the body.</param>
        /// <param name="offset">First body byte.</param>
        /// <param name="count">Body length.</param>
        /// <param name="command">Receives the fields; emptied first.</param>
        /// <returns><see cref="RemoteErrorCode.Success"/>; <see cref="RemoteErrorCode.JsonParsing"/> when the body is not a
        /// JSON object or <c>request</c>/<c>timeout</c> are missing or not integers in range; <see cref="RemoteErrorCode.InvalidRequest"/>
        /// when <c>data</c> is present but not a string.</returns>
        public static RemoteErrorCode Parse(byte[] body, int offset, int count, RemoteCommand command)
        {
            command.Reset();
            int end = offset + count;
            int pos = offset;
            bool dataNotString = false;
            RemoteJson.SkipSpace(body, ref pos, end);
            if (pos >= end || body[pos] != (byte)'{')
            {
                return RemoteErrorCode.JsonParsing;
            }

            pos++;
            RemoteJson.SkipSpace(body, ref pos, end);
            if (pos < end && body[pos] == (byte)'}')
            {
                pos++;
            }
            else
            {
                while (true)
                {
                    RemoteJson.SkipSpace(body, ref pos, end);
                    int keyStart = pos + 1;
                    if (!RemoteJson.SkipString(body, ref pos, end))
                    {
                        return RemoteErrorCode.JsonParsing;
                    }

                    int keyCount = pos - 1 - keyStart;
                    RemoteJson.SkipSpace(body, ref pos, end);
                    if (pos >= end || body[pos] != (byte)':')
                    {
                        return RemoteErrorCode.JsonParsing;
                    }

                    pos++;
                    RemoteJson.SkipSpace(body, ref pos, end);
                    int valueStart = pos;
                    if (!RemoteJson.SkipValue(body, ref pos, end, 0))
                    {
                        return RemoteErrorCode.JsonParsing;
                    }

                    if (RemoteJson.KeyIs(body, keyStart, keyCount, "request") || RemoteJson.KeyIs(body, keyStart, keyCount, "timeout"))
                    {
                        int value = ReadInteger(body, valueStart, pos);
                        if (value < 0)
                        {
                            return RemoteErrorCode.JsonParsing;
                        }

                        if (body[keyStart] == (byte)'r')
                        {
                            command.Request = value;
                        }
                        else
                        {
                            command.TimeoutMs = value;
                        }
                    }
                    else if (RemoteJson.KeyIs(body, keyStart, keyCount, "data"))
                    {
                        if (body[valueStart] == (byte)'"')
                        {
                            command.RawDataOffset = valueStart + 1;
                            command.RawDataCount = pos - valueStart - 2;
                            dataNotString = false;
                        }
                        else
                        {
                            dataNotString = body[valueStart] != (byte)'n'; // null counts as absent
                            command.RawDataCount = 0;
                        }
                    }

                    RemoteJson.SkipSpace(body, ref pos, end);
                    if (pos < end && body[pos] == (byte)',')
                    {
                        pos++;
                        continue;
                    }

                    if (pos < end && body[pos] == (byte)'}')
                    {
                        pos++;
                        break;
                    }

                    return RemoteErrorCode.JsonParsing;
                }
            }

            RemoteJson.SkipSpace(body, ref pos, end);
            if (pos != end || command.Request < 0)
            {
                return RemoteErrorCode.JsonParsing;
            }

            if (dataNotString)
            {
                return RemoteErrorCode.InvalidRequest;
            }

            command.DataIsHex = DecodeHex(body, command.RawDataOffset, command.RawDataCount, command);
            return RemoteErrorCode.Success;
        }

        /// <summary>Decodes hexadecimal digits, allowing spaces between bytes as the README's examples use.</summary>
        private static bool DecodeHex(byte[] text, int offset, int count, RemoteCommand command)
        {
            byte[] data = command.Data;
            int n = 0;
            int high = -1;
            for (int i = offset; i < offset + count; i++)
            {
                byte c = text[i];
                if (c == (byte)' ')
                {
                    if (high >= 0)
                    {
                        return false;
                    }

                    continue;
                }

                int nibble = RemoteJson.Nibble(c);
                if (nibble < 0)
                {
                    return false;
                }

                if (high < 0)
                {
                    high = nibble;
                    continue;
                }

                if (n >= data.Length)
                {
                    return false;
                }

                data[n++] = (byte)((high << 4) | nibble);
                high = -1;
            }

            command.DataCount = n;
            return high < 0;
        }

        /// <summary>Reads a non-negative JSON integer spanning exactly [start, end); -1 when it is not one or exceeds int.</summary>
        private static int ReadInteger(byte[] body, int start, int end)
        {
            if (start >= end)
            {
                return -1;
            }

            long value = 0;
            for (int i = start; i < end; i++)
            {
                byte c = body[i];
                if (c < (byte)'0' || c > (byte)'9')
                {
                    return -1;
                }

                value = (value * 10) + (c - '0');
                if (value > int.MaxValue)
                {
                    return -1;
                }
            }

            return (int)value;
        }
    }
}
