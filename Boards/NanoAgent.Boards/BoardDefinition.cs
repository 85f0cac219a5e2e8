namespace NanoAgent.Boards
{
    /// <summary>
    /// Everything nanoAgent needs to know about one board: firmware target and what it must contain, storage drive, SE buses
    /// and pins, a sample sensor and relay.
    /// Pure data, immutable, read alike by the device firmware and the host CLI.
    /// </summary>
    public sealed class BoardDefinition
    {
        /// <summary>The default 7-bit I2C address of an NXP SE05x (UM11225).</summary>
        public const int Se05xDefaultAddress = 0x48;

        /// <summary>Creates a board definition.</summary>
        /// <param name="id">The lookup id, lower case, such as "esp32-devkitc".</param>
        /// <param name="name">The product name.</param>
        /// <param name="nanoTarget">The nanoFramework firmware target, as passed to <c>nanoff --target</c>.</param>
        /// <param name="i2c">The I2C bus the SE05x sits on.</param>
        /// <param name="spi">The SPI bus a GP T=1' SE sits on.</param>
        /// <param name="seEnable">The SE enable pin (SE05x ENA: high powers the SE, low then high cold-resets it).</param>
        /// <param name="seReset">The SE reset pin, for SEs with a reset line (active low).</param>
        /// <param name="seI2cAddress">The SE's 7-bit I2C address.</param>
        /// <param name="sensor">The sample sensor input.</param>
        /// <param name="relay">The sample relay output.</param>
        /// <param name="supply3v3">Where 3.3 V is on the headers.</param>
        /// <param name="ground">Where ground is on the headers.</param>
        /// <param name="notes">Wiring notes: pull-ups, voltages, pins to avoid.</param>
        /// <param name="firmware">What the board's firmware must offer: storage drive, AES key lengths, native assemblies.</param>
        public BoardDefinition(
            string id,
            string name,
            string nanoTarget,
            I2cBusSettings i2c,
            SpiBusSettings spi,
            BoardPin seEnable,
            BoardPin seReset,
            int seI2cAddress,
            BoardPin sensor,
            BoardPin relay,
            string supply3v3,
            string ground,
            string notes,
            BoardFirmware firmware)
        {
            Id = id;
            Name = name;
            NanoTarget = nanoTarget;
            I2c = i2c;
            Spi = spi;
            SeEnable = seEnable;
            SeReset = seReset;
            SeI2cAddress = seI2cAddress;
            Sensor = sensor;
            Relay = relay;
            Supply3v3 = supply3v3;
            Ground = ground;
            Notes = notes;
            Firmware = firmware;
        }

        /// <summary>Gets the lookup id.</summary>
        public string Id { get; }

        /// <summary>Gets the product name.</summary>
        public string Name { get; }

        /// <summary>Gets the nanoFramework firmware target name.</summary>
        public string NanoTarget { get; }

        /// <summary>Gets the I2C bus for the SE05x.</summary>
        public I2cBusSettings I2c { get; }

        /// <summary>Gets the SPI bus for a GP T=1' SE.</summary>
        public SpiBusSettings Spi { get; }

        /// <summary>Gets the SE enable pin.</summary>
        public BoardPin SeEnable { get; }

        /// <summary>Gets the SE reset pin.</summary>
        public BoardPin SeReset { get; }

        /// <summary>Gets the SE's 7-bit I2C address.</summary>
        public int SeI2cAddress { get; }

        /// <summary>Gets the sample sensor input pin.</summary>
        public BoardPin Sensor { get; }

        /// <summary>Gets the sample relay output pin.</summary>
        public BoardPin Relay { get; }

        /// <summary>Gets where 3.3 V is on the headers.</summary>
        public string Supply3v3 { get; }

        /// <summary>Gets where ground is on the headers.</summary>
        public string Ground { get; }

        /// <summary>Gets wiring notes.</summary>
        public string Notes { get; }

        /// <summary>Gets what the board's firmware must offer nanoAgent.</summary>
        public BoardFirmware Firmware { get; }

        /// <summary>Returns every signal pin this board uses, in a new array the caller owns.</summary>
        /// <returns>I2C SDA, SCL; SPI MOSI, MISO, SCK, CS; SE enable, SE reset; sensor; relay.</returns>
        public BoardPin[] GetSignalPins()
        {
            return new BoardPin[]
            {
                I2c.Sda, I2c.Scl, Spi.Mosi, Spi.Miso, Spi.Sck, Spi.ChipSelect, SeEnable, SeReset, Sensor, Relay,
            };
        }

        /// <inheritdoc />
        public override string ToString()
        {
            return Name + " (" + Id + ")";
        }
    }
}
