namespace NanoAgent.Boards
{
    /// <summary>An I2C controller as a board exposes it: nanoFramework bus id, pins and clock.</summary>
    public sealed class I2cBusSettings
    {
        /// <summary>Creates the settings.</summary>
        /// <param name="busId">The nanoFramework bus id (1 for I2C1).</param>
        /// <param name="sda">The data pin.</param>
        /// <param name="scl">The clock pin.</param>
        /// <param name="speedHz">The bus clock in hertz.</param>
        public I2cBusSettings(int busId, BoardPin sda, BoardPin scl, int speedHz)
        {
            BusId = busId;
            Sda = sda;
            Scl = scl;
            SpeedHz = speedHz;
        }

        /// <summary>Gets the nanoFramework bus id.</summary>
        public int BusId { get; }

        /// <summary>Gets the data pin.</summary>
        public BoardPin Sda { get; }

        /// <summary>Gets the clock pin.</summary>
        public BoardPin Scl { get; }

        /// <summary>Gets the bus clock in hertz.</summary>
        public int SpeedHz { get; }
    }
}
