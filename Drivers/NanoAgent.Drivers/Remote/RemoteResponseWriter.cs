namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// Writes a <see cref="RemoteResponse"/> as the ASCII JSON body of a response message (README "Response message"):
    /// members in the order of the README's example, hexadecimal as upper-case byte pairs separated by spaces as in that example.
    /// </summary>
    public static class RemoteResponseWriter
    {
        private const string HexDigits = "0123456789ABCDEF";

        /// <summary>Writes the body.</summary>
        /// <param name="response">The response.</param>
        /// <param name="buffer">Where the body goes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="capacity">Most bytes to write.</param>
        /// <returns>The body length.</returns>
        /// <exception cref="RemoteException">The body does not fit (<see cref="RemoteError.ResponseTooLarge"/>).</exception>
        public static int Write(RemoteResponse response, byte[] buffer, int offset, int capacity)
        {
            int end = offset + capacity;
            int pos = offset;
            Ascii(buffer, ref pos, end, "{\"client_description\":");
            Quoted(buffer, ref pos, end, response.ClientDescription);
            Ascii(buffer, ref pos, end, ",\"err_card_code\":");
            Integer(buffer, ref pos, end, (int)response.CardCode);
            Ascii(buffer, ref pos, end, ",\"err_card_description\":");
            Quoted(buffer, ref pos, end, response.CardDescription);
            Ascii(buffer, ref pos, end, ",\"err_client_code\":");
            Integer(buffer, ref pos, end, (int)response.ClientCode);

            // README: err_server_code and err_server_description are always 0 and "OK" when sent by the client.
            Ascii(buffer, ref pos, end, ",\"err_server_code\":0,\"err_server_description\":\"OK\",\"err_terminal_code\":");
            Integer(buffer, ref pos, end, (int)response.TerminalCode);
            Ascii(buffer, ref pos, end, ",\"response\":\"");
            switch (response.Kind)
            {
                case RemoteResponse.KindHex:
                    for (int i = 0; i < response.BytesCount; i++)
                    {
                        Reserve(ref pos, end, i == 0 ? 2 : 3);
                        if (i > 0)
                        {
                            buffer[pos++] = (byte)' ';
                        }

                        byte b = response.Bytes[response.BytesOffset + i];
                        buffer[pos++] = (byte)HexDigits[b >> 4];
                        buffer[pos++] = (byte)HexDigits[b & 0x0F];
                    }

                    break;
                case RemoteResponse.KindText:
                    Escaped(buffer, ref pos, end, response.Text);
                    break;
                case RemoteResponse.KindRaw:
                    Reserve(ref pos, end, response.BytesCount);
                    System.Array.Copy(response.Bytes, response.BytesOffset, buffer, pos, response.BytesCount);
                    pos += response.BytesCount;
                    break;
                default:
                    // The reference client answers "KO" when a layer failed (client_engine.cpp); the README leaves it open.
                    Ascii(buffer, ref pos, end, "KO");
                    break;
            }

            Ascii(buffer, ref pos, end, "\",\"terminal_description\":");
            Quoted(buffer, ref pos, end, response.TerminalDescription);
            Ascii(buffer, ref pos, end, "}");
            return pos - offset;
        }

        private static void Reserve(ref int pos, int end, int count)
        {
            if (end - pos < count)
            {
                throw new RemoteException(RemoteError.ResponseTooLarge, "the response does not fit the session's message buffer");
            }
        }

        private static void Ascii(byte[] buffer, ref int pos, int end, string text)
        {
            Reserve(ref pos, end, text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                buffer[pos++] = (byte)text[i];
            }
        }

        private static void Quoted(byte[] buffer, ref int pos, int end, string text)
        {
            Ascii(buffer, ref pos, end, "\"");
            Escaped(buffer, ref pos, end, text);
            Ascii(buffer, ref pos, end, "\"");
        }

        /// <summary>Writes a string's content for JSON: quote, backslash and control characters escaped, and anything
        /// outside printable ASCII as \uXXXX, since the README has the body ASCII encoded.</summary>
        private static void Escaped(byte[] buffer, ref int pos, int end, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '"' || c == '\\')
                {
                    Reserve(ref pos, end, 2);
                    buffer[pos++] = (byte)'\\';
                    buffer[pos++] = (byte)c;
                }
                else if (c >= ' ' && c < 0x7F)
                {
                    Reserve(ref pos, end, 1);
                    buffer[pos++] = (byte)c;
                }
                else
                {
                    Reserve(ref pos, end, 6);
                    buffer[pos++] = (byte)'\\';
                    buffer[pos++] = (byte)'u';
                    buffer[pos++] = (byte)HexDigits[(c >> 12) & 0x0F];
                    buffer[pos++] = (byte)HexDigits[(c >> 8) & 0x0F];
                    buffer[pos++] = (byte)HexDigits[(c >> 4) & 0x0F];
                    buffer[pos++] = (byte)HexDigits[c & 0x0F];
                }
            }
        }

        private static void Integer(byte[] buffer, ref int pos, int end, int value)
        {
            if (value < 0)
            {
                Ascii(buffer, ref pos, end, "-");
                value = -value;
            }

            int divisor = 1;
            while (value / divisor >= 10)
            {
                divisor *= 10;
            }

            while (divisor > 0)
            {
                Reserve(ref pos, end, 1);
                buffer[pos++] = (byte)('0' + ((value / divisor) % 10));
                divisor /= 10;
            }
        }
    }
}
