namespace NanoAgent.Agent.Runtime
{
    /// <summary>Value parsers for the configuration: decimal numbers, booleans and hex, each with a line-numbered error.</summary>
    internal static class ConfigValues
    {
        public static int Number(string value, int line, string key, int min, int max)
        {
            if (value.Length == 0 || value.Length > 9)
            {
                throw Bad(line, key, "a number from " + min + " to " + max);
            }

            int n = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < '0' || c > '9')
                {
                    throw Bad(line, key, "a number from " + min + " to " + max);
                }

                n = (n * 10) + (c - '0');
            }

            if (n < min || n > max)
            {
                throw Bad(line, key, "a number from " + min + " to " + max);
            }

            return n;
        }

        public static bool Flag(string value, int line, string key)
        {
            if (value == "true" || value == "yes" || value == "1")
            {
                return true;
            }

            if (value == "false" || value == "no" || value == "0")
            {
                return false;
            }

            throw Bad(line, key, "true or false");
        }

        public static byte[] Hex(string value, int line, string key, int minBytes, int maxBytes)
        {
            if ((value.Length & 1) != 0 || value.Length / 2 < minBytes || value.Length / 2 > maxBytes)
            {
                throw Bad(line, key, "hex of " + minBytes + " to " + maxBytes + " bytes");
            }

            byte[] bytes = new byte[value.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                int hi = Nibble(value[2 * i]);
                int lo = Nibble(value[(2 * i) + 1]);
                if (hi < 0 || lo < 0)
                {
                    throw Bad(line, key, "hex digits only");
                }

                bytes[i] = (byte)((hi << 4) | lo);
            }

            return bytes;
        }

        public static AgentConfigException Bad(int line, string key, string expected)
        {
            return new AgentConfigException(AgentConfigError.BadValue, line, "'" + key + "' must be " + expected);
        }

        private static int Nibble(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        }
    }
}
