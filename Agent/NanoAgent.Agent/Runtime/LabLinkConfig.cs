namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// The board link's settings (the <c>lab.*</c> lines; docs/remote-test-tool.md, "Board link"): the serial port the
    /// firmware lends its SE on, NXP's VCOM framing (JRCP v1). Absent <c>lab.port</c>: no board link.
    /// <list type="bullet">
    /// <item><c>lab.port = COM2</c>: the nanoFramework port name (COM1 carries the debugger on ESP32 boards)</item>
    /// <item><c>lab.baud = 115200</c>: the rate (default 115200, the rate NXP's VCOM client sets)</item>
    /// <item><c>lab.rx_pin = 16</c>, <c>lab.tx_pin = 17</c>: ESP32 only, the GPIOs the port is routed to</item>
    /// </list>
    /// </summary>
    public sealed class LabLinkConfig
    {
        /// <summary>Gets the serial port name, or null for no board link.</summary>
        public string Port { get; private set; }

        /// <summary>Gets the baud rate.</summary>
        public int Baud { get; private set; } = 115200;

        /// <summary>Gets the GPIO the port receives on (ESP32 routing), or -1 to leave the firmware's default.</summary>
        public int RxPin { get; private set; } = -1;

        /// <summary>Gets the GPIO the port transmits on (ESP32 routing), or -1 to leave the firmware's default.</summary>
        public int TxPin { get; private set; } = -1;

        internal bool TryParseLine(string key, string value, int line)
        {
            if (key == "lab.port")
            {
                if (value.Length < 4 || value.Substring(0, 3) != "COM")
                {
                    throw ConfigValues.Bad(line, key, "a serial port name such as COM2");
                }

                ConfigValues.Number(value.Substring(3), line, key, 1, 99);
                Port = value;
            }
            else if (key == "lab.baud")
            {
                Baud = ConfigValues.Number(value, line, key, 1200, 4000000);
            }
            else if (key == "lab.rx_pin")
            {
                RxPin = ConfigValues.Number(value, line, key, 0, 63);
            }
            else if (key == "lab.tx_pin")
            {
                TxPin = ConfigValues.Number(value, line, key, 0, 63);
            }
            else
            {
                return false;
            }

            return true;
        }
    }
}
