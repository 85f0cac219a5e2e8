using System;

namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>
    /// Pure encoder and checker for GP T=1' frames (GPC_SPE_172 §4.1): <c>NAD | PCB | LEN (2, big-endian) | INF | CRC</c>,
    /// the CRC being CRC-16/X-25 over NAD..INF, sent high byte first.
    /// </summary>
    public static class GpFrameCodec
    {
        /// <summary>NAD of frames from the host to the SE (GPC_SPE_172 §4.1.1: SAD 1, DAD 2).</summary>
        public const byte HostToSeNad = 0x21;

        /// <summary>
        /// NAD of frames from the SE to the host: source and destination swapped (SAD 2, DAD 1), per the
        /// ISO/IEC 7816-3 §11.3.2.1 NAD coding that GPC_SPE_172 v1.0 §4.1.1 keeps.
        /// </summary>
        public const byte SeToHostNad = 0x12;

        /// <summary>Bytes before INF: NAD, PCB and the two LEN bytes.</summary>
        public const int PrologueLength = 4;

        /// <summary>Bytes after INF: the CRC.</summary>
        public const int CrcLength = 2;

        /// <summary>Prologue plus CRC.</summary>
        public const int Overhead = PrologueLength + CrcLength;

        /// <summary>Largest information field size either side may declare (GPC_SPE_172 §4.1.3: 0xFF9).</summary>
        public const int MaxIfs = 0xFF9;

        /// <summary>Largest IFS coded on one byte in S(IFS).</summary>
        public const int MaxOneByteIfs = 0xFE;

        /// <summary>Encodes one frame.</summary>
        /// <param name="nad">Node address.</param>
        /// <param name="pcb">Protocol control byte.</param>
        /// <param name="inf">Information field source; may be null when <paramref name="infCount"/> is zero.</param>
        /// <param name="infOffset">First INF byte.</param>
        /// <param name="infCount">INF length, 0 to <see cref="MaxIfs"/>.</param>
        /// <param name="frame">Destination; needs <see cref="Overhead"/> + <paramref name="infCount"/> bytes.</param>
        /// <param name="frameOffset">Where the frame starts.</param>
        /// <returns>The frame length.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="infCount"/> is negative or above <see cref="MaxIfs"/>.</exception>
        public static int Encode(byte nad, byte pcb, byte[] inf, int infOffset, int infCount, byte[] frame, int frameOffset)
        {
            if (infCount < 0 || infCount > MaxIfs)
            {
                throw new ArgumentOutOfRangeException("infCount");
            }

            frame[frameOffset] = nad;
            frame[frameOffset + 1] = pcb;
            frame[frameOffset + 2] = (byte)(infCount >> 8);
            frame[frameOffset + 3] = (byte)infCount;
            if (infCount > 0)
            {
                Array.Copy(inf, infOffset, frame, frameOffset + PrologueLength, infCount);
            }

            int crcAt = frameOffset + PrologueLength + infCount;
            ushort crc = Crc16X25.Compute(frame, frameOffset, PrologueLength + infCount);

            // GPC_SPE_172 §4.1.4: the CRC is sent most significant byte first (SE05x sends it the other way round).
            frame[crcAt] = (byte)(crc >> 8);
            frame[crcAt + 1] = (byte)crc;
            return PrologueLength + infCount + CrcLength;
        }

        /// <summary>Reads the LEN field of a prologue.</summary>
        /// <param name="frame">Buffer holding at least the prologue.</param>
        /// <param name="frameOffset">Where the frame starts.</param>
        /// <returns>The INF length announced.</returns>
        public static int InformationLength(byte[] frame, int frameOffset)
        {
            return (frame[frameOffset + 2] << 8) | frame[frameOffset + 3];
        }

        /// <summary>Checks the CRC of a frame whose prologue announces <paramref name="infCount"/> INF bytes.</summary>
        /// <param name="frame">Buffer holding the whole frame.</param>
        /// <param name="frameOffset">Where the frame starts.</param>
        /// <param name="infCount">The INF length.</param>
        /// <returns>True when the CRC matches.</returns>
        public static bool CrcMatches(byte[] frame, int frameOffset, int infCount)
        {
            int crcAt = frameOffset + PrologueLength + infCount;
            int received = (frame[crcAt] << 8) | frame[crcAt + 1];
            return received == Crc16X25.Compute(frame, frameOffset, PrologueLength + infCount);
        }

        /// <summary>Checks a received frame's structure: length, LEN field, CRC. The NAD is left to the caller.</summary>
        /// <param name="frame">Buffer holding the bytes received.</param>
        /// <param name="frameOffset">Where the frame starts.</param>
        /// <param name="count">How many bytes were received.</param>
        /// <returns>What was found.</returns>
        public static GpFrameStatus Check(byte[] frame, int frameOffset, int count)
        {
            if (count < Overhead)
            {
                return GpFrameStatus.Truncated;
            }

            int infCount = InformationLength(frame, frameOffset);
            if (infCount + Overhead != count)
            {
                return GpFrameStatus.LengthMismatch;
            }

            return CrcMatches(frame, frameOffset, infCount) ? GpFrameStatus.Valid : GpFrameStatus.CrcError;
        }

        /// <summary>Encodes an IFS value for S(IFS): one byte up to 0xFE, else two bytes big-endian (GPC_SPE_172 §4.2.4.3).</summary>
        /// <param name="ifs">The size, 1 to <see cref="MaxIfs"/>.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the value goes.</param>
        /// <returns>1 or 2.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="ifs"/> is out of range.</exception>
        public static int EncodeIfs(int ifs, byte[] buffer, int offset)
        {
            if (ifs < 1 || ifs > MaxIfs)
            {
                throw new ArgumentOutOfRangeException("ifs");
            }

            if (ifs <= MaxOneByteIfs)
            {
                buffer[offset] = (byte)ifs;
                return 1;
            }

            buffer[offset] = (byte)(ifs >> 8);
            buffer[offset + 1] = (byte)ifs;
            return 2;
        }

        /// <summary>Decodes the INF of an S(IFS) block.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First INF byte.</param>
        /// <param name="count">INF length.</param>
        /// <returns>The size, or -1 when the INF is malformed or out of range.</returns>
        public static int DecodeIfs(byte[] buffer, int offset, int count)
        {
            int ifs;
            if (count == 1)
            {
                ifs = buffer[offset];
            }
            else if (count == 2)
            {
                ifs = (buffer[offset] << 8) | buffer[offset + 1];
            }
            else
            {
                return -1;
            }

            return ifs >= 1 && ifs <= MaxIfs ? ifs : -1;
        }
    }
}
