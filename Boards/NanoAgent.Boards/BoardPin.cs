namespace NanoAgent.Boards
{
    /// <summary>
    /// One microcontroller pin: the number nanoFramework's GPIO API uses, its datasheet name, and where it is on the board's headers.
    /// </summary>
    public sealed class BoardPin
    {
        /// <summary>Creates a pin.</summary>
        /// <param name="number">The nanoFramework pin number.</param>
        /// <param name="name">The datasheet name, such as "GPIO21" or "PB9".</param>
        /// <param name="header">The header and label a technician finds it by, such as "J3 IO21" or "CN7 D14".</param>
        public BoardPin(int number, string name, string header)
        {
            Number = number;
            Name = name;
            Header = header;
        }

        /// <summary>Gets the pin number passed to nanoFramework (ESP32: the GPIO number; STM32: port index × 16 + pin).</summary>
        public int Number { get; }

        /// <summary>Gets the datasheet name.</summary>
        public string Name { get; }

        /// <summary>Gets the header position and silk-screen label.</summary>
        public string Header { get; }

        /// <summary>Creates an ESP32 pin; nanoFramework numbers ESP32 pins by their GPIO number.</summary>
        /// <param name="gpio">The GPIO number.</param>
        /// <param name="header">The header position and label.</param>
        /// <returns>The pin.</returns>
        public static BoardPin Esp32(int gpio, string header)
        {
            return new BoardPin(gpio, "GPIO" + gpio.ToString(), header);
        }

        /// <summary>
        /// Creates an STM32 pin; nanoFramework numbers STM32 pins as (port - 'A') × 16 + pin, so PB9 is 25.
        /// </summary>
        /// <param name="port">The port letter, 'A' to 'K'.</param>
        /// <param name="pin">The pin within the port, 0 to 15.</param>
        /// <param name="header">The header position and label.</param>
        /// <returns>The pin.</returns>
        public static BoardPin Stm32(char port, int pin, string header)
        {
            return new BoardPin(((port - 'A') * 16) + pin, "P" + port.ToString() + pin.ToString(), header);
        }

        /// <inheritdoc />
        public override string ToString()
        {
            return Name + " (" + Header + ")";
        }
    }
}
