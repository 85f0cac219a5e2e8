namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>What the speed sweep measured at one bus speed: whether the protocol opened, and the echo round trips.</summary>
    public sealed class SweepPoint
    {
        /// <summary>Creates a point.</summary>
        /// <param name="speedKhz">The bus speed in kHz.</param>
        public SweepPoint(int speedKhz)
        {
            SpeedKhz = speedKhz;
            MinRoundTripMs = -1;
            AverageRoundTripMs = -1;
            MaxRoundTripMs = -1;
        }

        /// <summary>Gets the bus speed in kHz.</summary>
        public int SpeedKhz { get; private set; }

        /// <summary>Gets or sets whether the block protocol opened at this speed (no echo runs when it did not).</summary>
        public bool Opened { get; set; }

        /// <summary>Gets or sets how many echo round trips were tried.</summary>
        public int Tried { get; set; }

        /// <summary>Gets or sets how many echo round trips failed.</summary>
        public int Errors { get; set; }

        /// <summary>Gets or sets how many retransmission requests and resynchronisations the host sent at this speed.</summary>
        public int Retries { get; set; }

        /// <summary>Gets or sets the fastest successful round trip in milliseconds, or -1 when none succeeded.</summary>
        public long MinRoundTripMs { get; set; }

        /// <summary>Gets or sets the mean successful round trip in milliseconds, or -1 when none succeeded.</summary>
        public long AverageRoundTripMs { get; set; }

        /// <summary>Gets or sets the slowest successful round trip in milliseconds, or -1 when none succeeded.</summary>
        public long MaxRoundTripMs { get; set; }

        /// <summary>Gets a value indicating whether frames were clean: opened, every round trip answered, no retry.</summary>
        public bool Clean
        {
            get { return Opened && Errors == 0 && Retries == 0; }
        }
    }
}
