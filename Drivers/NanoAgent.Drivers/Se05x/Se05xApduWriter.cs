using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Collects the TLV payload of one SE05x command in a scratch buffer allocated once, then writes the command APDU.
    /// The applet's TLVs (AN12413 §4.4: one-byte tags, lengths 00-7F, 81 xx, 82 xx xx) are exactly BER-TLV with
    /// shortest-form lengths, as middleware tlvSet_u8buf writes them, so <see cref="BerTlvWriter"/> is reused.
    /// Length forms follow the middleware (se05x_tlv.c DoAPDUTx_s_Case3 / DoAPDUTxRx_s_Case4 / _Case4_ext and
    /// sss_se05x_channel_txnRaw): without Le the Lc is short below 255 bytes and extended from 255; commands whose
    /// answer may be long (ReadObject, GetRandom, I2CM) use extended Lc and an extended Le of 0000.
    /// </summary>
    internal sealed class Se05xApduWriter
    {
        /// <summary>The buffer size: the largest payload of any applet (1024, applet 7.x).</summary>
        public const int MaxPayload = Se05xAppletVersion.MaxPayloadApplet7;

        private readonly byte[] _payload = new byte[MaxPayload];
        private readonly byte[] _small = new byte[8];
        private readonly BerTlvWriter _writer;
        private readonly int _limit;

        public Se05xApduWriter()
            : this(MaxPayload)
        {
        }

        /// <summary>Creates a writer that refuses payloads above <paramref name="limit"/> (892 for applet 3.x, 1024 for 7.x).</summary>
        public Se05xApduWriter(int limit)
        {
            if (limit < 1 || limit > MaxPayload)
            {
                throw new Se05xException(Se05xError.InvalidArgument, "The payload limit is 1 to 1024 bytes.");
            }

            _limit = limit;
            _writer = new BerTlvWriter(_payload, 0, MaxPayload);
        }

        /// <summary>Gets the largest payload this writer lets through.</summary>
        public int Limit
        {
            get { return _limit; }
        }

        public void Begin()
        {
            _writer.Reset(_payload, 0, MaxPayload);
        }

        public void U8(int tag, byte value)
        {
            _small[0] = value;
            Bytes(tag, _small, 0, 1);
        }

        public void U16(int tag, int value)
        {
            _small[0] = (byte)(value >> 8);
            _small[1] = (byte)value;
            Bytes(tag, _small, 0, 2);
        }

        public void U32(int tag, uint value)
        {
            _small[0] = (byte)(value >> 24);
            _small[1] = (byte)(value >> 16);
            _small[2] = (byte)(value >> 8);
            _small[3] = (byte)value;
            Bytes(tag, _small, 0, 4);
        }

        /// <summary>Writes an unsigned value in exactly <paramref name="size"/> big-endian bytes (middleware tlvSet_U64_size).</summary>
        public void Sized(int tag, ulong value, int size)
        {
            for (int i = 0; i < size; i++)
            {
                _small[i] = (byte)(value >> (8 * (size - 1 - i)));
            }

            Bytes(tag, _small, 0, size);
        }

        public void Bytes(int tag, byte[] value, int offset, int count)
        {
            try
            {
                _writer.Write(tag, value, offset, count);
            }
            catch (TlvException e)
            {
                bool tooLong = _writer.Length + BerTlvWriter.EncodedLength(tag, count) > _limit;
                throw new Se05xException(
                    tooLong ? Se05xError.PayloadTooLong : Se05xError.InvalidArgument,
                    tooLong
                        ? "The command payload exceeds the applet's limit of " + _limit + " bytes (892 on applet 3.x / SE050, 1024 on applet 7.x / SE051)."
                        : e.Message);
            }
        }

        public int Finish(byte ins, byte p1, byte p2, bool expectLongResponse, byte[] buffer, int offset)
        {
            int nc = _writer.Finish();
            if (nc > _limit)
            {
                // se05x_const.h MAX_APDU_PAYLOAD_LENGTH: the applet refuses longer commands; say so instead of sending one.
                throw new Se05xException(Se05xError.PayloadTooLong, "The command payload of " + nc + " bytes exceeds the applet's limit of "
                    + _limit + " bytes (892 on applet 3.x / SE050, 1024 on applet 7.x / SE051).");
            }

            ApduLengthForm form;
            int ne;
            if (expectLongResponse)
            {
                // sss_se05x_channel_txnRaw with hasle: 00 Lc(2) payload 00 00.
                form = ApduLengthForm.Extended;
                ne = CommandApdu.MaxNe;
            }
            else if (nc == 0)
            {
                // sss_se05x_channel_txnRaw: no payload, one 00 byte follows the header (a short Le of 256).
                form = ApduLengthForm.Short;
                ne = 256;
            }
            else
            {
                // "(cmdBufLen < 0xFF) && !hasle" selects the short Lc; 255 and more take the extended Lc.
                form = nc < 0xFF ? ApduLengthForm.Short : ApduLengthForm.Extended;
                ne = 0;
            }

            try
            {
                return CommandApdu.Write(Se05xCodes.Cla, ins, p1, p2, _payload, 0, nc, ne, form, buffer, offset);
            }
            catch (ApduException e)
            {
                throw new Se05xException(Se05xError.InvalidArgument, e.Message);
            }
        }
    }
}
