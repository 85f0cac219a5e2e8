namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>What the wiring diagnostics run and how hard.</summary>
    public sealed class WiringDiagnosticsOptions
    {
        /// <summary>Creates the options with their defaults.</summary>
        public WiringDiagnosticsOptions()
        {
            ExpectedAddress = 0x48;
            ScanFirstAddress = 0x08;
            ScanLastAddress = 0x77;
            EchoCount = 10;
            SweepSpeedsKhz = new int[] { 100, 400, 1000 };
            SweepEchoCount = 3;
            ResponseBufferSize = 2048;

            // GPC Card Specification §11.9: SELECT by AID with no data selects the issuer security domain; harmless on any GP card.
            EchoCommand = new byte[] { 0x00, 0xA4, 0x04, 0x00, 0x00 };
        }

        /// <summary>Gets or sets the SE's 7-bit I2C address (UM11225: 0x48 out of the box).</summary>
        public int ExpectedAddress { get; set; }

        /// <summary>Gets or sets the first address the scan probes (0x08: 0x00-0x07 are reserved by the I2C specification).</summary>
        public int ScanFirstAddress { get; set; }

        /// <summary>Gets or sets the last address the scan probes (0x77: 0x78-0x7F are reserved).</summary>
        public int ScanLastAddress { get; set; }

        /// <summary>Gets or sets how many APDU round trips the echo loop makes.</summary>
        public int EchoCount { get; set; }

        /// <summary>Gets or sets whether to try each speed of <see cref="SweepSpeedsKhz"/> (only on a bus that implements speed control).</summary>
        public bool Sweep { get; set; }

        /// <summary>Gets or sets the speeds the sweep tries, in kHz, lowest first.</summary>
        public int[] SweepSpeedsKhz { get; set; }

        /// <summary>Gets or sets how many round trips the sweep makes at each speed.</summary>
        public int SweepEchoCount { get; set; }

        /// <summary>Gets or sets the harmless command APDU the echo loop sends.</summary>
        public byte[] EchoCommand { get; set; }

        /// <summary>Gets or sets how the user sets the bus speed the advice recommends; null names only the speed.</summary>
        public IBusSpeedAdvice SpeedAdvice { get; set; }

        /// <summary>Gets or sets the size of the one response buffer.</summary>
        public int ResponseBufferSize { get; set; }
    }
}
