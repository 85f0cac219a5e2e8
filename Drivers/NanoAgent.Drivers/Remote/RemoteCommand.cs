namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// One command message from the test tool, as <see cref="RemoteCommandParser"/> read it. Allocated once per session and
    /// refilled for every message.
    /// </summary>
    public sealed class RemoteCommand
    {
        /// <summary>Creates a command holder.</summary>
        /// <param name="maxData">The most data bytes a command may carry.</param>
        public RemoteCommand(int maxData)
        {
            Data = new byte[maxData];
        }

        /// <summary>Gets the <c>request</c> code (see <see cref="RemoteRequestType"/>); -1 when absent.</summary>
        public int Request { get; internal set; }

        /// <summary>Gets the <c>timeout</c> in milliseconds; 0 when absent (no limit).</summary>
        public int TimeoutMs { get; internal set; }

        /// <summary>Gets the buffer holding the decoded <c>data</c> bytes.</summary>
        public byte[] Data { get; }

        /// <summary>Gets the number of decoded data bytes.</summary>
        public int DataCount { get; internal set; }

        /// <summary>Gets whether the <c>data</c> string was a well-formed hexadecimal string that fit <see cref="Data"/>.</summary>
        public bool DataIsHex { get; internal set; }

        /// <summary>Gets where the raw <c>data</c> string's content starts in the message body (without quotes).</summary>
        public int RawDataOffset { get; internal set; }

        /// <summary>Gets the length of the raw <c>data</c> string's content; 0 when absent.</summary>
        public int RawDataCount { get; internal set; }

        /// <summary>Empties the holder before a new message.</summary>
        internal void Reset()
        {
            Request = -1;
            TimeoutMs = 0;
            DataCount = 0;
            DataIsHex = true;
            RawDataOffset = 0;
            RawDataCount = 0;
        }
    }
}
