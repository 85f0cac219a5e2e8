using System;

namespace NanoAgent.Drivers.T1.Se05x
{
    /// <summary>
    /// Pure encoder and checker for SE05x T=1 over I2C frames (UM11225): <c>NAD | PCB | LEN | INF | CRC</c>,
    /// LEN one byte, CRC-16/X-25 over NAD..INF sent low byte first. No state; both ends use it.
    /// </summary>
    public static class Se05xFrameCodec
    {
        /// <summary>NAD of frames from the host to the SE (UM11225).</summary>
        public const byte NadHostToSe = 0x5A;

        /// <summary>NAD of frames from the SE to the host.</summary>
        public const byte NadSeToHost = 0xA5;

        /// <summary>Bytes before INF: NAD, PCB, LEN.</summary>
        public const int HeaderLength = 3;

        /// <summary>Bytes of the CRC trailer.</summary>
        public const int CrcLength = 2;

        /// <summary>Largest INF a one-byte LEN may carry (0xFE, as in ISO/IEC 7816-3 T=1; NXP IFSC_SIZE_SEND 254).</summary>
        public const int MaxInf = 254;

        /// <summary>Largest whole frame.</summary>
        public const int MaxFrame = HeaderLength + MaxInf + CrcLength;

        /// <summary>I-block N(S) bit.</summary>
        public const byte SequenceBit = 0x40;

        /// <summary>I-block M (more data) bit.</summary>
        public const byte MoreBit = 0x20;

        /// <summary>Makes the PCB of an I-block: <c>0 N(S) M 00000</c>.</summary>
        /// <param name="sequence">N(S), 0 or 1.</param>
        /// <param name="more">Whether more blocks of the chain follow.</param>
        /// <returns>The PCB.</returns>
        public static byte IBlockPcb(int sequence, bool more)
        {
            return (byte)(((sequence & 1) != 0 ? SequenceBit : 0) | (more ? MoreBit : 0));
        }

        /// <summary>Makes the PCB of an R-block: <c>1 0 0 N(R) 0 0 e e</c>.</summary>
        /// <param name="sequence">N(R): the N(S) of the I-block expected next.</param>
        /// <param name="error">0 acknowledge, 1 CRC error, 2 other error.</param>
        /// <returns>The PCB.</returns>
        public static byte RBlockPcb(int sequence, int error)
        {
            return (byte)(0x80 | ((sequence & 1) << 4) | (error & 0x03));
        }

        /// <summary>Makes the PCB of an S-block.</summary>
        /// <param name="type">The S-block type.</param>
        /// <param name="response">True for a response (0xE0 | type), false for a request (0xC0 | type).</param>
        /// <returns>The PCB.</returns>
        public static byte SBlockPcb(Se05xSBlockType type, bool response)
        {
            return (byte)((response ? 0xE0 : 0xC0) | ((int)type & 0x1F));
        }




        /// <summary>Gets N(S) of an I-block or N(R) of an R-block.</summary>
        /// <param name="pcb">The PCB.</param>
        /// <returns>0 or 1.</returns>
        public static int Sequence(byte pcb)
        {
            return T1Pcb.IsIBlock(pcb) ? (pcb >> 6) & 1 : (pcb >> 4) & 1;
        }

        /// <summary>Gets the M bit of an I-block.</summary>
        /// <param name="pcb">The PCB.</param>
        /// <returns>True when more blocks follow.</returns>
        public static bool HasMore(byte pcb)
        {
            return (pcb & MoreBit) != 0;
        }

        /// <summary>Gets the error code of an R-block (0 none, 1 CRC, 2 other).</summary>
        /// <param name="pcb">The PCB.</param>
        /// <returns>The two error bits.</returns>
        public static int RError(byte pcb)
        {
            return pcb & 0x03;
        }

        /// <summary>Gets the type of an S-block.</summary>
        /// <param name="pcb">The PCB.</param>
        /// <returns>The type (low five bits).</returns>
        public static Se05xSBlockType SType(byte pcb)
        {
            return (Se05xSBlockType)(pcb & 0x1F);
        }

        /// <summary>Tells whether an S-block PCB is a response.</summary>
        /// <param name="pcb">The PCB.</param>
        /// <returns>True for a response.</returns>
        public static bool IsSResponse(byte pcb)
        {
            return (pcb & 0x20) != 0;
        }

        /// <summary>Writes a whole frame into <paramref name="frame"/> at index 0.</summary>
        /// <param name="frame">Destination, at least <see cref="HeaderLength"/> + <paramref name="count"/> + <see cref="CrcLength"/> bytes.</param>
        /// <param name="nad">The NAD.</param>
        /// <param name="pcb">The PCB.</param>
        /// <param name="inf">Source of INF, or null when <paramref name="count"/> is 0.</param>
        /// <param name="offset">First INF byte.</param>
        /// <param name="count">INF length, 0 to <see cref="MaxInf"/>.</param>
        /// <returns>The frame length.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
        public static int Encode(byte[] frame, byte nad, byte pcb, byte[] inf, int offset, int count)
        {
            if (count < 0 || count > MaxInf)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            frame[0] = nad;
            frame[1] = pcb;
            frame[2] = (byte)count;
            if (count > 0)
            {
                Array.Copy(inf, offset, frame, HeaderLength, count);
            }

            int end = HeaderLength + count;
            ushort crc = Crc16X25.Compute(frame, 0, end);

            // UM11225 and NXP phNxpEseProto7816_3.c: the CRC goes out least significant byte first.
            frame[end] = (byte)crc;
            frame[end + 1] = (byte)(crc >> 8);
            return end + CrcLength;
        }

        /// <summary>Checks that a received frame's LEN matches its size and that its CRC is right.</summary>
        /// <param name="frame">The frame, starting at index 0.</param>
        /// <param name="length">Number of bytes received.</param>
        /// <returns>True when the frame is well formed.</returns>
        public static bool IsValid(byte[] frame, int length)
        {
            if (length < HeaderLength + CrcLength || frame[2] > MaxInf || length != HeaderLength + frame[2] + CrcLength)
            {
                return false;
            }

            int end = length - CrcLength;
            ushort crc = Crc16X25.Compute(frame, 0, end);
            return frame[end] == (byte)crc && frame[end + 1] == (byte)(crc >> 8);
        }
    }
}
