namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// One response message to the test tool: the <c>response</c> value and an error code with a description per layer
    /// (README "Response message"). Allocated once per session and refilled for every command.
    /// </summary>
    public sealed class RemoteResponse
    {
        internal const int KindKo = 0;
        internal const int KindHex = 1;
        internal const int KindText = 2;
        internal const int KindRaw = 3;

        /// <summary>Creates a response holder set to "KO" with every layer OK.</summary>
        public RemoteResponse()
        {
            Reset();
        }

        /// <summary>Gets the client layer's code (this agent).</summary>
        public RemoteErrorCode ClientCode { get; private set; }

        /// <summary>Gets the client layer's description, "OK" on success.</summary>
        public string ClientDescription { get; private set; }

        /// <summary>Gets the terminal layer's code (the bus and block protocol to the SE).</summary>
        public RemoteErrorCode TerminalCode { get; private set; }

        /// <summary>Gets the terminal layer's description, "OK" on success.</summary>
        public string TerminalDescription { get; private set; }

        /// <summary>Gets the card layer's code (the SE itself).</summary>
        public RemoteErrorCode CardCode { get; private set; }

        /// <summary>Gets the card layer's description, "OK" on success.</summary>
        public string CardDescription { get; private set; }

        internal int Kind { get; private set; }

        internal byte[] Bytes { get; private set; }

        internal int BytesOffset { get; private set; }

        internal int BytesCount { get; private set; }

        internal string Text { get; private set; }

        /// <summary>Sets every layer to SUCCESS/"OK" and the response to "KO".</summary>
        public void Reset()
        {
            ClientCode = RemoteErrorCode.Success;
            ClientDescription = "OK";
            TerminalCode = RemoteErrorCode.Success;
            TerminalDescription = "OK";
            CardCode = RemoteErrorCode.Success;
            CardDescription = "OK";
            Kind = KindKo;
            Bytes = null;
            Text = null;
        }

        /// <summary>Sets the response to bytes written as a hexadecimal string (response APDU, ATR).</summary>
        /// <param name="buffer">The bytes; not copied, so keep them until the response is written.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        public void SetHex(byte[] buffer, int offset, int count)
        {
            Kind = KindHex;
            Bytes = buffer;
            BytesOffset = offset;
            BytesCount = count;
        }

        /// <summary>Sets the response to a text (REQ_DIAG); it is escaped for JSON when written.</summary>
        /// <param name="text">The text.</param>
        public void SetText(string text)
        {
            Kind = KindText;
            Text = text;
        }

        /// <summary>Sets the response to the raw content of a JSON string, written as is (REQ_ECHO).</summary>
        /// <param name="buffer">The bytes between the quotes of a valid JSON string; not copied.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        public void SetRawString(byte[] buffer, int offset, int count)
        {
            Kind = KindRaw;
            Bytes = buffer;
            BytesOffset = offset;
            BytesCount = count;
        }

        /// <summary>Marks the client layer failed; the response becomes "KO".</summary>
        /// <param name="code">The code.</param>
        /// <param name="description">What went wrong, in plain words.</param>
        public void FailClient(RemoteErrorCode code, string description)
        {
            Kind = KindKo;
            ClientCode = code;
            ClientDescription = description;
        }

        /// <summary>Marks the terminal layer failed; the response becomes "KO".</summary>
        /// <param name="code">The code.</param>
        /// <param name="description">What went wrong, in plain words.</param>
        public void FailTerminal(RemoteErrorCode code, string description)
        {
            Kind = KindKo;
            TerminalCode = code;
            TerminalDescription = description;
        }

        /// <summary>Marks the card layer failed; the response becomes "KO".</summary>
        /// <param name="code">The code.</param>
        /// <param name="description">What went wrong, in plain words.</param>
        public void FailCard(RemoteErrorCode code, string description)
        {
            Kind = KindKo;
            CardCode = code;
            CardDescription = description;
        }
    }
}
