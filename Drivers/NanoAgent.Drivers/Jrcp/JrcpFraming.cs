namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>
    /// The JRCP v1 message layout, <c>[MTY]:[NAD]:[LNH]:[LNL]:[D0]...[Dn]</c> (NXP plug-and-trust
    /// <c>hostlib/hostLib/accessManager/inc/accessManager.h</c>, "General Message Format"): a four-byte header with a
    /// 16-bit big-endian payload length. NXP's clients send NAD 0x00 (<c>MYT_DEFAULT_NAD</c>). Pure helpers; no state.
    /// </summary>
    public static class JrcpFraming
    {
        /// <summary>The header length (accessManager.h <c>MSG_HEADER_SIZE</c>, smComSocket_fd.c <c>REMOTE_JC_SHELL_HEADER_LEN</c>).</summary>
        public const int HeaderLength = 4;

        /// <summary>The largest payload the 16-bit length can announce.</summary>
        public const int MaxLength = 0xFFFF;

        /// <summary>
        /// The default payload limit of a message to the server: 2044 bytes, what NXP's own JRCP v1 server takes
        /// (accessManager.h <c>MSG_SIZE</c> 2048 including the header). NXP's clients never send more: their APDU buffer is
        /// 1280 bytes (<c>sm_apdu.h</c> <c>MAX_APDU_BUF_LENGTH</c>).
        /// </summary>
        public const int DefaultMaxPayload = 2048 - HeaderLength;

        /// <summary>Writes a header.</summary>
        /// <param name="buffer">Where the four bytes go.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="type">The message type.</param>
        /// <param name="nad">The node address.</param>
        /// <param name="payloadLength">The payload length, 0 to 65535.</param>
        public static void WriteHeader(byte[] buffer, int offset, byte type, byte nad, int payloadLength)
        {
            buffer[offset] = type;
            buffer[offset + 1] = nad;
            buffer[offset + 2] = (byte)(payloadLength >> 8);
            buffer[offset + 3] = (byte)payloadLength;
        }

        /// <summary>Reads the payload length of a header.</summary>
        /// <param name="buffer">The header.</param>
        /// <param name="offset">First header byte.</param>
        /// <returns>The payload length, 0 to 65535.</returns>
        public static int ReadLength(byte[] buffer, int offset)
        {
            return (buffer[offset + 2] << 8) | buffer[offset + 3];
        }
    }
}
