using System;

namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>
    /// Communication Interface Parameters of a GP T=1' SE (GPC_SPE_172 §4.3), parsed from the INF of S(CIP response):
    /// <c>PVER | IIN_len | IIN | PLID | PLP_len | PLP | DLLP_len | DLLP | HB_len | HB</c>.
    /// </summary>
    public sealed class GpCip
    {
        private const int I2cPlpLength = 8;
        private const int SpiPlpLength = 12;
        private const int DllpLength = 4;

        private GpCip()
        {
        }

        /// <summary>Gets the protocol version (PVER).</summary>
        public int Version { get; private set; }

        /// <summary>Gets the issuer identification number (IIN).</summary>
        public byte[] Iin { get; private set; }

        /// <summary>Gets the physical layer (PLID).</summary>
        public GpPhysicalLayer PhysicalLayer { get; private set; }

        /// <summary>Gets the CONFIG byte of the physical layer parameters.</summary>
        public int Configuration { get; private set; }

        /// <summary>Gets the power wake-up time (PWT) in milliseconds.</summary>
        public int PowerWakeUpTimeMs { get; private set; }

        /// <summary>Gets the maximum clock frequency (MCF) in kHz.</summary>
        public int MaxClockKhz { get; private set; }

        /// <summary>Gets the power saving timeout (PST) in milliseconds.</summary>
        public int PowerSavingTimeoutMs { get; private set; }

        /// <summary>Gets the minimum polling time (MPOT) in units of 100 µs.</summary>
        public int MinPollingTime100Us { get; private set; }

        /// <summary>Gets the guard time between transfers in µs: RWGT on I2C, SEGT on SPI.</summary>
        public int GuardTimeUs { get; private set; }

        /// <summary>Gets the SE access length (SEAL, SPI only; 0 on I2C).</summary>
        public int SeAccessLength { get; private set; }

        /// <summary>Gets the wake-up time (WUT, SPI only; 0 on I2C), as coded by the SE.</summary>
        public int WakeUpTime { get; private set; }

        /// <summary>Gets the block waiting time (BWT) in milliseconds.</summary>
        public int BwtMs { get; private set; }

        /// <summary>Gets the maximum information field size the SE accepts (IFSC).</summary>
        public int Ifsc { get; private set; }

        /// <summary>Gets the historical bytes (HB).</summary>
        public byte[] HistoricalBytes { get; private set; }

        /// <summary>Parses a CIP.</summary>
        /// <param name="data">Source buffer.</param>
        /// <param name="offset">First CIP byte.</param>
        /// <param name="count">CIP length.</param>
        /// <returns>The parameters.</returns>
        /// <exception cref="BlockProtocolException"><see cref="BlockProtocolError.InvalidInterfaceParameters"/>: the CIP is malformed or out of range.</exception>
        public static GpCip Parse(byte[] data, int offset, int count)
        {
            if (data == null || offset < 0 || count < 0 || offset + count > data.Length)
            {
                throw Invalid("the CIP buffer is missing or too short");
            }

            GpCip cip = new GpCip();
            int end = offset + count;
            int at = offset;
            cip.Version = Byte(data, ref at, end);
            cip.Iin = Field(data, ref at, end);
            int plid = Byte(data, ref at, end);
            int plpLength = Byte(data, ref at, end);
            int plp = at;
            Skip(ref at, end, plpLength);
            if (plid == (int)GpPhysicalLayer.I2c && plpLength >= I2cPlpLength)
            {
                // GPC_SPE_172 §4.3.2 (I2C): CONFIG, PWT, MCF(2), PST, MPOT, RWGT(2).
                cip.PhysicalLayer = GpPhysicalLayer.I2c;
                cip.ReadCommonPlp(data, plp);
                cip.GuardTimeUs = Word(data, plp + 6);
            }
            else if (plid == (int)GpPhysicalLayer.Spi && plpLength >= SpiPlpLength)
            {
                // GPC_SPE_172 §4.3.2 (SPI): CONFIG, PWT, MCF(2), PST, MPOT, SEGT(2), SEAL(2), WUT(2).
                cip.PhysicalLayer = GpPhysicalLayer.Spi;
                cip.ReadCommonPlp(data, plp);
                cip.GuardTimeUs = Word(data, plp + 6);
                cip.SeAccessLength = Word(data, plp + 8);
                cip.WakeUpTime = Word(data, plp + 10);
            }
            else
            {
                throw Invalid("the CIP names an unknown physical layer or its parameters are too short");
            }

            int dllpLength = Byte(data, ref at, end);
            int dllp = at;
            Skip(ref at, end, dllpLength);
            if (dllpLength < DllpLength)
            {
                throw Invalid("the CIP data link layer parameters are too short");
            }

            // GPC_SPE_172 §4.3.3: BWT (2 bytes, ms), IFSC (2 bytes).
            cip.BwtMs = Word(data, dllp);
            cip.Ifsc = Word(data, dllp + 2);
            if (cip.BwtMs == 0 || cip.Ifsc == 0 || cip.Ifsc > GpFrameCodec.MaxIfs)
            {
                throw Invalid("the CIP declares a zero BWT or an IFSC outside 1..0xFF9");
            }

            cip.HistoricalBytes = Field(data, ref at, end);
            if (at != end)
            {
                throw Invalid("the CIP has bytes after its historical bytes");
            }

            return cip;
        }

        private void ReadCommonPlp(byte[] data, int plp)
        {
            Configuration = data[plp];
            PowerWakeUpTimeMs = data[plp + 1];
            MaxClockKhz = Word(data, plp + 2);
            PowerSavingTimeoutMs = data[plp + 4];
            MinPollingTime100Us = data[plp + 5];
        }

        private static int Byte(byte[] data, ref int at, int end)
        {
            if (at >= end)
            {
                throw Invalid("the CIP ends early");
            }

            return data[at++];
        }

        private static void Skip(ref int at, int end, int length)
        {
            if (length > end - at)
            {
                throw Invalid("a CIP field runs past the end");
            }

            at += length;
        }

        private static byte[] Field(byte[] data, ref int at, int end)
        {
            int length = Byte(data, ref at, end);
            int start = at;
            Skip(ref at, end, length);
            byte[] field = new byte[length];
            Array.Copy(data, start, field, 0, length);
            return field;
        }

        private static int Word(byte[] data, int at)
        {
            return (data[at] << 8) | data[at + 1];
        }

        private static BlockProtocolException Invalid(string why)
        {
            return new BlockProtocolException(BlockProtocolError.InvalidInterfaceParameters, "Malformed GP T=1' CIP: " + why + ".");
        }
    }
}
