using System;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>The configuration text (or the platform key text) is malformed; the message names the line.</summary>
    public class AgentConfigException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="error">What is wrong.</param>
        /// <param name="line">The 1-based line, or 0 for the text as a whole.</param>
        /// <param name="message">What is wrong, in plain words, without the line prefix.</param>
        public AgentConfigException(AgentConfigError error, int line, string message)
            : base(line > 0 ? "line " + line + ": " + message : message)
        {
            Error = error;
            Line = line;
        }

        /// <summary>Gets what is wrong.</summary>
        public AgentConfigError Error { get; }

        /// <summary>Gets the 1-based line, or 0 for the text as a whole.</summary>
        public int Line { get; }
    }
}
