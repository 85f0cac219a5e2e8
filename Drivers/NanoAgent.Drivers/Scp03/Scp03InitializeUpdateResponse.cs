namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// A parsed view of an INITIALIZE UPDATE response in a caller's buffer (GP Amd D §7.1.1.6): key diversification data (10),
    /// key information (KVN, SCP identifier 03, i parameter), card challenge, card cryptogram, and the 3-byte sequence counter
    /// when the i parameter says the challenge is pseudo-random. Parsing copies nothing.
    /// </summary>
    public struct Scp03InitializeUpdateResponse
    {
        /// <summary>Length of the key diversification data.</summary>
        public const int DiversificationDataLength = 10;

        /// <summary>Gets the key version number the card used.</summary>
        public byte KeyVersion { get; private set; }

        /// <summary>Gets the secure channel protocol identifier (03).</summary>
        public byte ScpIdentifier { get; private set; }

        /// <summary>Gets the i parameter (see <see cref="Scp03SecurityLevel"/> for its bits).</summary>
        public byte IParameter { get; private set; }

        /// <summary>Gets the offset of the key diversification data in the parsed buffer.</summary>
        public int DiversificationDataOffset { get; private set; }

        /// <summary>Gets the offset of the card challenge in the parsed buffer.</summary>
        public int CardChallengeOffset { get; private set; }

        /// <summary>Gets the offset of the card cryptogram in the parsed buffer.</summary>
        public int CardCryptogramOffset { get; private set; }

        /// <summary>Gets the challenge and cryptogram length (8 in S8 mode, 16 in S16 mode).</summary>
        public int ChallengeLength { get; private set; }

        /// <summary>Gets the sequence counter, or -1 when the card challenge is random and no counter was sent.</summary>
        public int SequenceCounter { get; private set; }

        /// <summary>Gets the status word.</summary>
        public ushort StatusWord { get; private set; }

        /// <summary>Parses a response APDU (data and SW1 SW2).</summary>
        /// <param name="buffer">Buffer holding the response.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length including the status word.</param>
        /// <param name="challengeLength">The challenge length the host asked for: 8 (S8) or 16 (S16).</param>
        /// <param name="view">The parsed view, valid when the method returns 0.</param>
        /// <returns>0 when the response is a well-formed SCP03 answer, else why not.</returns>
        public static SecureChannelError TryParse(byte[] buffer, int offset, int count, int challengeLength, out Scp03InitializeUpdateResponse view)
        {
            view = new Scp03InitializeUpdateResponse();
            view.SequenceCounter = -1;
            if (buffer == null || offset < 0 || count < 2 || offset + count > buffer.Length || (challengeLength != 8 && challengeLength != 16))
            {
                return SecureChannelError.InvalidInitializeUpdateResponse;
            }

            view.StatusWord = (ushort)((buffer[offset + count - 2] << 8) | buffer[offset + count - 1]);
            if (view.StatusWord != 0x9000)
            {
                return SecureChannelError.InitializeUpdateRejected;
            }

            int dataLength = count - 2;
            int fixedLength = DiversificationDataLength + 3 + (2 * challengeLength);
            if (dataLength != fixedLength && dataLength != fixedLength + 3)
            {
                return SecureChannelError.InvalidInitializeUpdateResponse;
            }

            int p = offset + DiversificationDataLength;
            view.DiversificationDataOffset = offset;
            view.KeyVersion = buffer[p];
            view.ScpIdentifier = buffer[p + 1];
            view.IParameter = buffer[p + 2];
            view.ChallengeLength = challengeLength;
            view.CardChallengeOffset = p + 3;
            view.CardCryptogramOffset = p + 3 + challengeLength;
            if (view.ScpIdentifier != 0x03)
            {
                return SecureChannelError.UnsupportedProtocol;
            }

            // Amd D v1.2 §5.1: i bit b1 selects S16 mode; the host chose the mode by its challenge length.
            bool s16 = (view.IParameter & Scp03SecurityLevel.S16Mode) != 0;
            if (s16 != (challengeLength == 16))
            {
                return SecureChannelError.UnsupportedProtocol;
            }

            // §7.1.1.6: the sequence counter is present if and only if the card challenge is pseudo-random.
            bool pseudoRandom = (view.IParameter & Scp03SecurityLevel.PseudoRandomChallenge) != 0;
            if (pseudoRandom != (dataLength == fixedLength + 3))
            {
                return SecureChannelError.InvalidInitializeUpdateResponse;
            }

            if (pseudoRandom)
            {
                int s = offset + fixedLength;
                view.SequenceCounter = (buffer[s] << 16) | (buffer[s + 1] << 8) | buffer[s + 2];
            }

            return 0;
        }
    }
}
