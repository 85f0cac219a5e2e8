using System;

namespace NanoAgent.Agent.Messages
{
    /// <summary>The one exception the agent message codecs throw; <see cref="Error"/> says why.</summary>
    public class AgentMessageException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on.</param>
        public AgentMessageException(AgentMessageError error, string message)
            : base(message)
        {
            Error = error;
        }

        /// <summary>Gets the cause.</summary>
        public AgentMessageError Error { get; }
    }
}
