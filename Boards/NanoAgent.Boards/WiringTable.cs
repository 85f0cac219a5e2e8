namespace NanoAgent.Boards
{
    /// <summary>
    /// Renders a plain-text wiring table (SE pin to board pin and header label) for a lab technician.
    /// </summary>
    public static class WiringTable
    {
        private const int SeColumn = 10;
        private const int PinColumn = 8;
        private const int HeaderColumn = 30;
        private const string NewLine = "\n";

        /// <summary>Renders the table for <paramref name="board"/>.</summary>
        /// <param name="board">The board.</param>
        /// <returns>Lines separated by "\n": an I2C SE05x section, a GP SPI section, the sample I/O and the notes.</returns>
        /// <exception cref="System.ArgumentNullException"><paramref name="board"/> is null.</exception>
        public static string Render(BoardDefinition board)
        {
            if (board == null)
            {
                throw new System.ArgumentNullException("board");
            }

            string address = "0x" + board.SeI2cAddress.ToString("X2");
            string text = board.Name + " (" + board.Id + "), nanoFramework target " + board.NanoTarget + NewLine + NewLine;

            text += "SE05x over I2C: bus I2C" + board.I2c.BusId.ToString() + ", address " + address
                + ", " + (board.I2c.SpeedHz / 1000).ToString() + " kHz" + NewLine;
            text += Header();
            text += Row("VCC", "3V3", board.Supply3v3, "3.3 V supply");
            text += Row("GND", "GND", board.Ground, string.Empty);
            text += Row("SDA", board.I2c.Sda, "I2C data, pull-up to 3.3 V");
            text += Row("SCL", board.I2c.Scl, "I2C clock, pull-up to 3.3 V");
            text += Row("ENA", board.SeEnable, "high = SE on; low then high = cold reset");
            text += Row("RST", board.SeReset, "active low, if the SE board has a reset line");
            text += NewLine;

            text += "GP SE over SPI (T=1'): bus SPI" + board.Spi.BusId.ToString() + ", mode 0, "
                + (board.Spi.ClockHz / 1000).ToString() + " kHz" + NewLine;
            text += Header();
            text += Row("VCC", "3V3", board.Supply3v3, "3.3 V supply");
            text += Row("GND", "GND", board.Ground, string.Empty);
            text += Row("MOSI", board.Spi.Mosi, "controller out");
            text += Row("MISO", board.Spi.Miso, "controller in");
            text += Row("SCK", board.Spi.Sck, "clock");
            text += Row("CS", board.Spi.ChipSelect, "chip select, active low");
            text += Row("RST", board.SeReset, "active low");
            text += NewLine;

            text += "Sample sensor: " + board.Sensor.ToString() + NewLine;
            text += "Sample relay:  " + board.Relay.ToString() + NewLine;
            text += "Notes: " + board.Notes + NewLine;
            return text;
        }

        private static string Header()
        {
            return Cell("SE pin", SeColumn) + " | " + Cell("Pin", PinColumn) + " | " + Cell("Header", HeaderColumn) + " | Note" + NewLine
                + Dashes(SeColumn) + "-+-" + Dashes(PinColumn) + "-+-" + Dashes(HeaderColumn) + "-+-" + Dashes(4) + NewLine;
        }

        private static string Row(string sePin, BoardPin pin, string note)
        {
            return Row(sePin, pin.Name, pin.Header, note);
        }

        private static string Row(string sePin, string pin, string header, string note)
        {
            return Cell(sePin, SeColumn) + " | " + Cell(pin, PinColumn) + " | " + Cell(header, HeaderColumn) + (note.Length == 0 ? " |" : " | " + note) + NewLine;
        }

        // string.PadRight is not in every nanoFramework mscorlib; pad by hand.
        private static string Cell(string text, int width)
        {
            return text.Length >= width ? text : text + new string(' ', width - text.Length);
        }

        private static string Dashes(int width)
        {
            return new string('-', width);
        }
    }
}
