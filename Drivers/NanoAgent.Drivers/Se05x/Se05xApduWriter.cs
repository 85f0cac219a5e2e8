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
        /// <summary>The largest payload: AN12413 MAX_APDU_PAYLOAD_LENGTH is 892 (SE050) or 1024 (SE051) (se05x_const.h).</summary>
        public const int MaxPayload = 1024;

        private readonly byte[] _payload = new byte[MaxPayload];
        private readonly byte[] _small = new byte[8];
        private readonly BerTlvWriter _writer;

        public Se05xApduWriter()
        {
            _writer = new BerTlvWriter(_payload, 0, MaxPayload);
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
                throw new Se05xException(Se05xError.InvalidArgument, e.Message);
            }
        }

        public int Finish(byte ins, byte p1, byte p2, bool expectLongResponse, byte[] buffer, int offset)
        {
            int nc = _writer.Finish();
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
