namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// A minimal JSON scanner (RFC 8259 grammar) over ASCII bytes: skips values and tests keys without allocating.
    /// </summary>
    internal static class RemoteJson
    {
        private const int MaxDepth = 16;

        internal static int Nibble(byte c)
        {
            if (c >= (byte)'0' && c <= (byte)'9')
            {
                return c - '0';
            }

            if (c >= (byte)'A' && c <= (byte)'F')
            {
                return c - 'A' + 10;
            }

            if (c >= (byte)'a' && c <= (byte)'f')
            {
                return c - 'a' + 10;
            }

            return -1;
        }

        internal static bool KeyIs(byte[] body, int start, int count, string name)
        {
            if (count != name.Length)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (body[start + i] != (byte)name[i])
                {
                    return false;
                }
            }

            return true;
        }

        internal static void SkipSpace(byte[] body, ref int pos, int end)
        {
            while (pos < end && (body[pos] == (byte)' ' || body[pos] == (byte)'\t' || body[pos] == (byte)'\n' || body[pos] == (byte)'\r'))
            {
                pos++;
            }
        }

        /// <summary>Skips one JSON value of any kind (RFC 8259 grammar), nested no deeper than <see cref="MaxDepth"/>.</summary>
        internal static bool SkipValue(byte[] body, ref int pos, int end, int depth)
        {
            if (pos >= end || depth > MaxDepth)
            {
                return false;
            }

            byte c = body[pos];
            if (c == (byte)'"')
            {
                return SkipString(body, ref pos, end);
            }

            if (c == (byte)'{' || c == (byte)'[')
            {
                return SkipContainer(body, ref pos, end, depth);
            }

            if (c == (byte)'t')
            {
                return SkipWord(body, ref pos, end, "true");
            }

            if (c == (byte)'f')
            {
                return SkipWord(body, ref pos, end, "false");
            }

            if (c == (byte)'n')
            {
                return SkipWord(body, ref pos, end, "null");
            }

            return SkipNumber(body, ref pos, end);
        }

        internal static bool SkipContainer(byte[] body, ref int pos, int end, int depth)
        {
            bool isObject = body[pos] == (byte)'{';
            byte close = isObject ? (byte)'}' : (byte)']';
            pos++;
            SkipSpace(body, ref pos, end);
            if (pos < end && body[pos] == close)
            {
                pos++;
                return true;
            }

            while (true)
            {
                SkipSpace(body, ref pos, end);
                if (isObject)
                {
                    if (!SkipString(body, ref pos, end))
                    {
                        return false;
                    }

                    SkipSpace(body, ref pos, end);
                    if (pos >= end || body[pos] != (byte)':')
                    {
                        return false;
                    }

                    pos++;
                    SkipSpace(body, ref pos, end);
                }

                if (!SkipValue(body, ref pos, end, depth + 1))
                {
                    return false;
                }

                SkipSpace(body, ref pos, end);
                if (pos >= end)
                {
                    return false;
                }

                if (body[pos] == (byte)',')
                {
                    pos++;
                    continue;
                }

                if (body[pos] != close)
                {
                    return false;
                }

                pos++;
                return true;
            }
        }

        /// <summary>Skips a JSON string starting at its opening quote; leaves <paramref name="pos"/> after the closing quote.</summary>
        internal static bool SkipString(byte[] body, ref int pos, int end)
        {
            if (pos >= end || body[pos] != (byte)'"')
            {
                return false;
            }

            pos++;
            while (pos < end)
            {
                byte c = body[pos++];
                if (c == (byte)'"')
                {
                    return true;
                }

                if (c < 0x20)
                {
                    return false;
                }

                if (c != (byte)'\\')
                {
                    continue;
                }

                if (pos >= end)
                {
                    return false;
                }

                byte e = body[pos++];
                if (e == (byte)'u')
                {
                    for (int i = 0; i < 4; i++)
                    {
                        if (pos >= end || Nibble(body[pos++]) < 0)
                        {
                            return false;
                        }
                    }
                }
                else if (e != (byte)'"' && e != (byte)'\\' && e != (byte)'/' && e != (byte)'b' && e != (byte)'f'
                    && e != (byte)'n' && e != (byte)'r' && e != (byte)'t')
                {
                    return false;
                }
            }

            return false;
        }

        internal static bool SkipWord(byte[] body, ref int pos, int end, string word)
        {
            if (end - pos < word.Length || !KeyIs(body, pos, word.Length, word))
            {
                return false;
            }

            pos += word.Length;
            return true;
        }

        internal static bool SkipNumber(byte[] body, ref int pos, int end)
        {
            int start = pos;
            if (pos < end && body[pos] == (byte)'-')
            {
                pos++;
            }

            int digits = SkipDigits(body, ref pos, end);
            if (digits == 0 || (digits > 1 && body[pos - digits] == (byte)'0'))
            {
                return false;
            }

            if (pos < end && body[pos] == (byte)'.')
            {
                pos++;
                if (SkipDigits(body, ref pos, end) == 0)
                {
                    return false;
                }
            }

            if (pos < end && (body[pos] == (byte)'e' || body[pos] == (byte)'E'))
            {
                pos++;
                if (pos < end && (body[pos] == (byte)'+' || body[pos] == (byte)'-'))
                {
                    pos++;
                }

                if (SkipDigits(body, ref pos, end) == 0)
                {
                    return false;
                }
            }

            return pos > start;
        }

        internal static int SkipDigits(byte[] body, ref int pos, int end)
        {
            int n = 0;
            while (pos < end && body[pos] >= (byte)'0' && body[pos] <= (byte)'9')
            {
                pos++;
                n++;
            }

            return n;
        }
    }
}
