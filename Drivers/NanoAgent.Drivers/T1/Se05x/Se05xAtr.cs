using System;

namespace NanoAgent.Drivers.T1.Se05x
{
    /// <summary>
    /// The SE05x ATR, answered to S(GET ATR) and S(INTERFACE SOFT RESET) (UM11225; layout as parsed by NXP's
    /// Plug and Trust host stack): <c>PVER | VID(5) | DLLP_len | DLLP | PLID | PLP_len | PLP | HB_len | HB</c>,
    /// DLLP = BWT (2, ms) | IFSC (2); PLP (I2C) = MCF (2, kHz) | CONFIG | MPOT | RFU (3) | SEGT (2) | WUT (2).
    /// Multi-byte values are big-endian.
    /// </summary>
    public sealed class Se05xAtr
    {
        /// <summary>Length of the vendor identifier.</summary>
        public const int VendorIdLength = 5;

        /// <summary>Smallest DLLP: BWT and IFSC.</summary>
        public const int MinDllpLength = 4;

        /// <summary>Smallest I2C PLP: MCF, CONFIG, MPOT, RFU, SEGT, WUT.</summary>
        public const int MinPlpLength = 11;

        private Se05xAtr()
        {
        }

        /// <summary>Gets the protocol version.</summary>
        public int ProtocolVersion { get; private set; }

        /// <summary>Gets the vendor identifier (an RID such as A000000396 for NXP).</summary>
        public byte[] VendorId { get; private set; }

        /// <summary>Gets the block waiting time in milliseconds.</summary>
        public int BwtMilliseconds { get; private set; }

        /// <summary>Gets the largest INF the SE accepts (IFSC) as announced, 1 to 65535.</summary>
        public int Ifsc { get; private set; }

        /// <summary>Gets the physical layer identifier (2 for I2C).</summary>
        public int PhysicalLayerId { get; private set; }

        /// <summary>Gets the maximum clock frequency in kHz.</summary>
        public int MaxClockKhz { get; private set; }

        /// <summary>Gets the CONFIG byte of the physical layer parameters.</summary>
        public int Config { get; private set; }

        /// <summary>Gets the minimum polling time (MPOT) byte.</summary>
        public int MinPollingTime { get; private set; }

        /// <summary>Gets the SE guard time (SEGT) in microseconds.</summary>
        public int GuardTimeMicroseconds { get; private set; }

        /// <summary>Gets the wake-up time (WUT) in microseconds.</summary>
        public int WakeUpTimeMicroseconds { get; private set; }

        /// <summary>Gets the historical bytes.</summary>
        public byte[] HistoricalBytes { get; private set; }

        /// <summary>Parses an ATR. Longer DLLP or PLP fields are accepted and their extra bytes skipped.</summary>
        /// <param name="data">Source buffer.</param>
        /// <param name="offset">First ATR byte.</param>
        /// <param name="count">ATR length; trailing bytes after the historical bytes are an error.</param>
        /// <returns>The parsed ATR.</returns>
        /// <exception cref="BlockProtocolException"><see cref="BlockProtocolError.InvalidInterfaceParameters"/>: truncated, trailing bytes, or IFSC 0.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
        public static Se05xAtr Parse(byte[] data, int offset, int count)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            if (offset < 0 || count < 0 || offset + count > data.Length)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            int end = offset + count;
            int p = offset;
            Se05xAtr atr = new Se05xAtr();
            Need(p, 1 + VendorIdLength + 1, end);
            atr.ProtocolVersion = data[p++];
            atr.VendorId = new byte[VendorIdLength];
            Array.Copy(data, p, atr.VendorId, 0, VendorIdLength);
            p += VendorIdLength;

            int dllpLength = data[p++];
            if (dllpLength < MinDllpLength)
            {
                throw Invalid("the data-link parameters are shorter than BWT and IFSC");
            }

            Need(p, dllpLength + 2, end);
            atr.BwtMilliseconds = (data[p] << 8) | data[p + 1];
            atr.Ifsc = (data[p + 2] << 8) | data[p + 3];
            if (atr.Ifsc == 0)
            {
                throw Invalid("IFSC is zero");
            }

            p += dllpLength;
            atr.PhysicalLayerId = data[p++];
            int plpLength = data[p++];
            if (plpLength < MinPlpLength)
            {
                throw Invalid("the physical-layer parameters are too short");
            }

            Need(p, plpLength + 1, end);
            atr.MaxClockKhz = (data[p] << 8) | data[p + 1];
            atr.Config = data[p + 2];
            atr.MinPollingTime = data[p + 3];
            atr.GuardTimeMicroseconds = (data[p + 7] << 8) | data[p + 8];
            atr.WakeUpTimeMicroseconds = (data[p + 9] << 8) | data[p + 10];
            p += plpLength;

            int historicalLength = data[p++];
            if (p + historicalLength != end)
            {
                throw Invalid(p + historicalLength > end ? "the historical bytes are truncated" : "bytes follow the historical bytes");
            }

            atr.HistoricalBytes = new byte[historicalLength];
            Array.Copy(data, p, atr.HistoricalBytes, 0, historicalLength);
            return atr;
        }

        private static void Need(int position, int length, int end)
        {
            if (position + length > end)
            {
                throw Invalid("it is truncated");
            }
        }

        private static BlockProtocolException Invalid(string why)
        {
            return new BlockProtocolException(BlockProtocolError.InvalidInterfaceParameters, "The SE05x ATR is malformed: " + why + ".");
        }
    }
}
