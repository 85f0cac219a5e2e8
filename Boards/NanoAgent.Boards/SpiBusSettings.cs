namespace NanoAgent.Boards
{
    /// <summary>An SPI controller as a board exposes it: nanoFramework bus id, pins and clock (mode 0).</summary>
    public sealed class SpiBusSettings
    {
        /// <summary>Creates the settings.</summary>
        /// <param name="busId">The nanoFramework bus id (1 for SPI1).</param>
        /// <param name="mosi">Controller out, target in.</param>
        /// <param name="miso">Controller in, target out.</param>
        /// <param name="sck">The clock pin.</param>
        /// <param name="chipSelect">The chip-select pin (driven as a GPIO by nanoFramework).</param>
        /// <param name="clockHz">The clock in hertz.</param>
        public SpiBusSettings(int busId, BoardPin mosi, BoardPin miso, BoardPin sck, BoardPin chipSelect, int clockHz)
        {
            BusId = busId;
            Mosi = mosi;
            Miso = miso;
            Sck = sck;
            ChipSelect = chipSelect;
            ClockHz = clockHz;
        }

        /// <summary>Gets the nanoFramework bus id.</summary>
        public int BusId { get; }

        /// <summary>Gets the MOSI pin.</summary>
        public BoardPin Mosi { get; }

        /// <summary>Gets the MISO pin.</summary>
        public BoardPin Miso { get; }

        /// <summary>Gets the clock pin.</summary>
        public BoardPin Sck { get; }

        /// <summary>Gets the chip-select pin.</summary>
        public BoardPin ChipSelect { get; }

        /// <summary>Gets the clock in hertz.</summary>
        public int ClockHz { get; }
    }
}
