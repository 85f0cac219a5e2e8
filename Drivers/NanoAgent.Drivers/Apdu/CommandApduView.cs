namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// A parsed view of a command APDU held in a caller's buffer: header, where the data field is, Nc and Ne.
    /// Parsing copies nothing. ISO/IEC 7816-4 §5.1 (cases 1, 2S/2E, 3S/3E, 4S/4E).
    /// </summary>
    public struct CommandApduView
    {
        /// <summary>Gets the class byte.</summary>
        public byte Cla { get; private set; }

        /// <summary>Gets the instruction byte.</summary>
        public byte Ins { get; private set; }

        /// <summary>Gets parameter 1.</summary>
        public byte P1 { get; private set; }

        /// <summary>Gets parameter 2.</summary>
        public byte P2 { get; private set; }

        /// <summary>Gets the offset of the data field in the parsed buffer.</summary>
        public int DataOffset { get; private set; }

        /// <summary>Gets Nc, the length of the data field (0 when absent).</summary>
        public int Nc { get; private set; }

        /// <summary>Gets Ne, the maximum response length expected (0 when Le is absent; 256 or 65536 for Le = 00).</summary>
        public int Ne { get; private set; }

        /// <summary>Gets a value indicating whether the Le field is present.</summary>
        public bool HasLe { get; private set; }

        /// <summary>Gets a value indicating whether the extended length encoding is used.</summary>
        public bool IsExtended { get; private set; }

        /// <summary>Gets the ISO case: 1 (no data, no Le), 2 (Le only), 3 (data only) or 4 (data and Le).</summary>
        public int Case
        {
            get { return Nc == 0 ? (HasLe ? 2 : 1) : (HasLe ? 4 : 3); }
        }

        /// <summary>Parses a command APDU.</summary>
        /// <param name="buffer">Buffer holding the APDU.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length of the APDU.</param>
        /// <param name="view">The parsed view, valid when the method returns <see cref="ApduError"/> 0.</param>
        /// <returns>0 when the APDU is well formed, else why not.</returns>
        public static ApduError TryParse(byte[] buffer, int offset, int count, out CommandApduView view)
        {
            view = new CommandApduView();
            if (buffer == null || count < 4 || offset < 0 || offset + count > buffer.Length)
            {
                return ApduError.TooShort;
            }

            view.Cla = buffer[offset];
            view.Ins = buffer[offset + 1];
            view.P1 = buffer[offset + 2];
            view.P2 = buffer[offset + 3];
            int body = offset + 4;
            int bodyLength = count - 4;
            if (bodyLength == 0)
            {
                return 0;
            }

            int b1 = buffer[body];
            if (bodyLength == 1)
            {
                // Case 2S.
                view.HasLe = true;
                view.Ne = b1 == 0 ? 256 : b1;
                return 0;
            }

            if (b1 != 0)
            {
                // Case 3S (Lc data) or 4S (Lc data Le).
                if (bodyLength == 1 + b1 || bodyLength == 2 + b1)
                {
                    view.Nc = b1;
                    view.DataOffset = body + 1;
                    if (bodyLength == 2 + b1)
                    {
                        int le = buffer[body + 1 + b1];
                        view.HasLe = true;
                        view.Ne = le == 0 ? 256 : le;
                    }

                    return 0;
                }

                return ApduError.InvalidLength;
            }

            // b1 == 0 and more bytes follow: extended length.
            view.IsExtended = true;
            if (bodyLength < 3)
            {
                return ApduError.InvalidLength;
            }

            if (bodyLength == 3)
            {
                // Case 2E.
                int le = (buffer[body + 1] << 8) | buffer[body + 2];
                view.HasLe = true;
                view.Ne = le == 0 ? 65536 : le;
                return 0;
            }

            int lc = (buffer[body + 1] << 8) | buffer[body + 2];
            if (lc == 0 || bodyLength < 3 + lc)
            {
                return ApduError.InvalidLength;
            }

            view.Nc = lc;
            view.DataOffset = body + 3;
            if (bodyLength == 3 + lc)
            {
                return 0;
            }

            if (bodyLength == 5 + lc)
            {
                // Case 4E.
                int le = (buffer[body + 3 + lc] << 8) | buffer[body + 4 + lc];
                view.HasLe = true;
                view.Ne = le == 0 ? 65536 : le;
                return 0;
            }

            return ApduError.InvalidLength;
        }
    }
}
