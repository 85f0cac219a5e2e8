using NanoAgent.Agent.Runtime;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// The keys only this firmware reads, taken out of the configuration text before the portable (strict)
    /// <see cref="AgentConfigParser"/> sees it: <c>bme280.address = 0x76|0x77</c> (default 0x76, SDO to GND; 0x77 with SDO
    /// to VDDIO, Bosch BME280 datasheet §6.2). Each taken line becomes a comment, so the parser's line numbers stay right.
    /// </summary>
    public sealed class DeviceSettings
    {
        /// <summary>The key of the BME280's I2C address.</summary>
        public const string Bme280AddressKey = "bme280.address";

        private DeviceSettings(string agentText, int bme280Address)
        {
            AgentText = agentText;
            Bme280Address = bme280Address;
        }

        /// <summary>Gets the configuration text left for <see cref="AgentConfigParser"/>.</summary>
        public string AgentText { get; }

        /// <summary>Gets the BME280's 7-bit I2C address.</summary>
        public int Bme280Address { get; }

        /// <summary>Takes the firmware's own keys out of a configuration text.</summary>
        /// <param name="text">The whole file.</param>
        /// <returns>The settings and the rest of the text.</returns>
        /// <exception cref="AgentConfigException">A firmware key is repeated or has a bad value.</exception>
        public static DeviceSettings Extract(string text)
        {
            string[] lines = (text ?? string.Empty).Split('\n');
            int address = 0x76;
            int seenOn = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                int eq = line.IndexOf('=');
                if (eq <= 0 || line[0] == '#' || line.Substring(0, eq).Trim() != Bme280AddressKey)
                {
                    continue;
                }

                if (seenOn != 0)
                {
                    throw new AgentConfigException(AgentConfigError.Duplicate, i + 1, "'" + Bme280AddressKey + "' was already set on line " + seenOn);
                }

                string value = line.Substring(eq + 1).Trim();
                if (value != "0x76" && value != "0x77")
                {
                    throw new AgentConfigException(AgentConfigError.BadValue, i + 1, "'" + Bme280AddressKey + "' must be 0x76 or 0x77");
                }

                address = value == "0x76" ? 0x76 : 0x77;
                seenOn = i + 1;
                lines[i] = "# " + line;
            }

            string rest = lines.Length == 0 ? string.Empty : lines[0];
            for (int i = 1; i < lines.Length; i++)
            {
                rest = rest + "\n" + lines[i];
            }

            return new DeviceSettings(rest, address);
        }
    }
}
