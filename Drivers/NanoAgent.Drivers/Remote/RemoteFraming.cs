namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// The message framing of the SE Abstract Communication Layer over TCP/IP: every message is a 32-bit big-endian
    /// length followed by that many body bytes (README "Message Format"). Pure helpers; no state.
    /// </summary>
    public static class RemoteFraming
    {
        /// <summary>The size of the length prefix in bytes.</summary>
        public const int HeaderLength = 4;

        /// <summary>Writes a length prefix.</summary>
        /// <param name="buffer">Where the four bytes go.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="bodyLength">The body length (not negative).</param>
        public static void WriteHeader(byte[] buffer, int offset, int bodyLength)
        {
            // README "Message Format": the length value is a 32-bit integer, big-endian.
            buffer[offset] = (byte)(bodyLength >> 24);
            buffer[offset + 1] = (byte)(bodyLength >> 16);
            buffer[offset + 2] = (byte)(bodyLength >> 8);
            buffer[offset + 3] = (byte)bodyLength;
        }

        /// <summary>Reads a length prefix.</summary>
        /// <param name="buffer">The four bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The body length; negative when the top bit is set (which no valid message has).</returns>
        public static int ReadHeader(byte[] buffer, int offset) =>
            (buffer[offset] << 24) | (buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3];

        /// <summary>Reads exactly <paramref name="count"/> bytes unless the stream ends first.</summary>
        /// <param name="stream">The stream.</param>
        /// <param name="buffer">Where the bytes go.</param>
        /// <param name="offset">First byte to fill.</param>
        /// <param name="count">Bytes wanted.</param>
        /// <returns>The bytes read: <paramref name="count"/>, or fewer when the stream ended.</returns>
        /// <exception cref="RemoteException">The stream failed.</exception>
        public static int ReadFully(IByteStream stream, byte[] buffer, int offset, int count)
        {
            int done = 0;
            while (done < count)
            {
                int n = stream.Read(buffer, offset + done, count - done);
                if (n <= 0)
                {
                    break;
                }

                done += n;
            }

            return done;
        }
    }
}
