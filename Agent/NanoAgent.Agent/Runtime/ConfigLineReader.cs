namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// Reads <c>key = value</c> lines one at a time: blank lines and lines whose first non-blank character is '#' are
    /// skipped; key and value are trimmed; the value may contain '=' and '#' (passwords). CR LF and LF both end a line.
    /// </summary>
    internal sealed class ConfigLineReader
    {
        private readonly string[] _lines;
        private int _next;

        public ConfigLineReader(string text)
        {
            _lines = (text ?? string.Empty).Split('\n');
        }

        public string Key { get; private set; }

        public string Value { get; private set; }

        public int Line { get; private set; }

        /// <summary>Moves to the next setting; false at the end.</summary>
        /// <exception cref="AgentConfigException">A line has no '=' or an empty key.</exception>
        public bool Next()
        {
            while (_next < _lines.Length)
            {
                string line = _lines[_next].Trim();
                _next++;
                Line = _next;
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                int eq = line.IndexOf('=');
                if (eq <= 0)
                {
                    throw new AgentConfigException(AgentConfigError.Syntax, Line, "expected 'key = value'");
                }

                Key = line.Substring(0, eq).Trim();
                Value = line.Substring(eq + 1).Trim();
                return true;
            }

            return false;
        }
    }
}
