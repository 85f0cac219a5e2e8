using System;

namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// Sends command APDUs over an <see cref="IApduTransport"/> and hides the transport-level status words:
    /// joins 61xx responses with GET RESPONSE, re-issues a command answered 6Cxx with the exact Le, and splits
    /// commands whose data exceeds the card's limit with command chaining. Buffers are allocated once, in the constructor.
    /// Not thread-safe: one exchange at a time.
    /// </summary>
    public class ApduChannel
    {
        /// <summary>The default number of GET RESPONSE rounds allowed for one command.</summary>
        public const int DefaultMaxRounds = 32;

        /// <summary>The largest data field one short command APDU carries.</summary>
        public const int ShortMaxData = 255;

        /// <summary>The largest data field one short response APDU carries.</summary>
        public const int ShortMaxResponseData = 256;

        private const byte InsGetResponse = 0xC0;

        private readonly IApduTransport _transport;
        private readonly int _maxCommandData;
        private readonly int _maxRounds;
        private readonly byte[] _command;
        private readonly byte[] _response;

        /// <summary>Creates a channel for a card that takes short APDUs only (255 data bytes per command, 256 per response).</summary>
        /// <param name="transport">Carries the APDUs; not owned.</param>
        /// <exception cref="ArgumentNullException">When <paramref name="transport"/> is null.</exception>
        public ApduChannel(IApduTransport transport)
            : this(transport, ShortMaxData, ShortMaxResponseData, DefaultMaxRounds)
        {
        }

        /// <summary>Creates a channel.</summary>
        /// <param name="transport">Carries the APDUs; not owned.</param>
        /// <param name="maxCommandData">The largest data field the card takes in one command (1 to 65535); longer commands are chained.</param>
        /// <param name="maxResponseData">The largest data field one response may carry (256 to 65536); sizes the receive buffer.</param>
        /// <param name="maxRounds">How many GET RESPONSE rounds one command may take (0 or more).</param>
        /// <exception cref="ArgumentNullException">When <paramref name="transport"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">When a limit is out of range.</exception>
        public ApduChannel(IApduTransport transport, int maxCommandData, int maxResponseData, int maxRounds)
        {
            if (transport == null)
            {
                throw new ArgumentNullException(nameof(transport));
            }

            if (maxCommandData < 1 || maxCommandData > CommandApdu.MaxNc)
            {
                throw new ArgumentOutOfRangeException(nameof(maxCommandData));
            }

            if (maxResponseData < ShortMaxResponseData || maxResponseData > CommandApdu.MaxNe)
            {
                throw new ArgumentOutOfRangeException(nameof(maxResponseData));
            }

            if (maxRounds < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(maxRounds));
            }

            _transport = transport;
            _maxCommandData = maxCommandData;
            _maxRounds = maxRounds;

            // Header, extended Lc (3) and extended Le (2) around the largest data field.
            _command = new byte[4 + 3 + maxCommandData + 2];
            _response = new byte[maxResponseData + 2];
        }

        /// <summary>
        /// Sends a command APDU and returns the complete response: all data joined, then the final status word.
        /// The command and response may share a buffer.
        /// </summary>
        /// <param name="command">Buffer holding the command APDU (any ISO/IEC 7816-4 case, short or extended).</param>
        /// <param name="commandOffset">First byte of the command.</param>
        /// <param name="commandCount">Length of the command.</param>
        /// <param name="response">Buffer receiving the response.</param>
        /// <param name="responseOffset">Where the first response byte goes.</param>
        /// <returns>The number of response bytes written, status word included. A chained command stops at the first
        /// intermediate status word other than 9000 and returns that response.</returns>
        /// <exception cref="ApduException">
        /// The parse error of a malformed command; <see cref="ApduError.BufferTooSmall"/> for a bad response range;
        /// <see cref="ApduError.CommandTooLarge"/> when a command already chained by the caller exceeds the card's limit;
        /// <see cref="ApduError.ResponseTooShort"/> or <see cref="ApduError.ResponseTooLarge"/> for a response of a bad size;
        /// <see cref="ApduError.TooManyRounds"/> when the card repeats 6Cxx or exceeds the GET RESPONSE rounds.
        /// </exception>
        public int Transmit(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            if (response == null || responseOffset < 0 || responseOffset > response.Length - 2)
            {
                throw new ApduException(ApduError.BufferTooSmall, "The response buffer has no room for a status word.");
            }

            CommandApduView view;
            ApduError parse = CommandApduView.TryParse(command, commandOffset, commandCount, out view);
            if (parse != 0)
            {
                throw new ApduException(parse, "The command APDU is malformed.");
            }

            byte cla = view.Cla;
            int dataOffset = view.DataOffset;
            int nc = view.Nc;
            ApduLengthForm form = view.IsExtended ? ApduLengthForm.Extended : ApduLengthForm.Short;
            if (nc > _maxCommandData)
            {
                if (LogicalChannel.IsChained(cla))
                {
                    throw new ApduException(ApduError.CommandTooLarge, "The command is already chained and still too long for the card.");
                }

                // ISO/IEC 7816-4 §5.1.1: every command but the last has CLA b5 set; only the last carries Le.
                while (nc > _maxCommandData)
                {
                    int count = Send((byte)(cla | LogicalChannel.ChainingBit), view.Ins, view.P1, view.P2, command, dataOffset, _maxCommandData, 0, ApduLengthForm.Auto);
                    if (StatusWord.Read(_response, 0, count) != StatusWord.Success)
                    {
                        return CopyOut(0, count, response, responseOffset);
                    }

                    dataOffset += _maxCommandData;
                    nc -= _maxCommandData;
                }

                form = ApduLengthForm.Auto;
            }

            return Exchange(view, command, dataOffset, nc, form, response, responseOffset);
        }

        private int Exchange(CommandApduView view, byte[] data, int dataOffset, int nc, ApduLengthForm form, byte[] response, int responseOffset)
        {
            byte cla = view.Cla;
            byte ins = view.Ins;
            byte p1 = view.P1;
            byte p2 = view.P2;
            int ne = view.Ne;
            bool reissued = false;
            int rounds = 0;
            int total = 0;
            while (true)
            {
                int count = Send(cla, ins, p1, p2, data, dataOffset, nc, ne, form);
                ushort sw = StatusWord.Read(_response, 0, count);
                if (StatusWord.IsWrongLe(sw))
                {
                    // §5.6 Table 6: 6Cxx, wrong Le; send the same command again with Le = xx, once.
                    if (reissued)
                    {
                        throw new ApduException(ApduError.TooManyRounds, "The card answered 6Cxx again after the command was re-issued with its Le.");
                    }

                    reissued = true;
                    ne = StatusWord.AnnouncedLength(sw);
                    continue;
                }

                total = CopyOut(total, count, response, responseOffset) - 2;
                if (!StatusWord.IsMoreData(sw))
                {
                    return total + 2;
                }

                if (++rounds > _maxRounds)
                {
                    throw new ApduException(ApduError.TooManyRounds, "The card kept answering 61xx beyond the allowed GET RESPONSE rounds.");
                }

                // §7.6.1 GET RESPONSE on the same logical channel: CLA without SM or chaining, INS C0, P1-P2 0000, Le = SW2 (00 = 256).
                cla = LogicalChannel.PlainClassFor(view.Cla);
                ins = InsGetResponse;
                p1 = 0;
                p2 = 0;
                data = null;
                dataOffset = 0;
                nc = 0;
                ne = StatusWord.AnnouncedLength(sw);
                form = ApduLengthForm.Short;
                reissued = false;
            }
        }

        private int Send(byte cla, byte ins, byte p1, byte p2, byte[] data, int dataOffset, int nc, int ne, ApduLengthForm form)
        {
            int length = CommandApdu.Write(cla, ins, p1, p2, data, dataOffset, nc, ne, form, _command, 0);
            int count = _transport.Transceive(_command, 0, length, _response, 0);
            if (count < 2)
            {
                throw new ApduException(ApduError.ResponseTooShort, "The card answered with fewer than two bytes.");
            }

            if (count > _response.Length)
            {
                throw new ApduException(ApduError.ResponseTooLarge, "The transport reported more response bytes than the buffer holds.");
            }

            return count;
        }

        // Appends the data of the response in _response after 'total' data bytes already in the caller's buffer, then its
        // status word; returns the length written so far, status word included.
        private int CopyOut(int total, int count, byte[] response, int responseOffset)
        {
            if (total + count > response.Length - responseOffset)
            {
                throw new ApduException(ApduError.ResponseTooLarge, "The response does not fit the caller's buffer.");
            }

            Array.Copy(_response, 0, response, responseOffset + total, count);
            return total + count;
        }
    }
}
