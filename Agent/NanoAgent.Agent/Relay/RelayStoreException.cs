using System;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// The one exception of the durable relay store: its stored record is unreadable. The store never resets itself
    /// silently, because an empty store would accept replayed scripts; the operator decides (erase the record on purpose).
    /// </summary>
    public class RelayStoreException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on.</param>
        public RelayStoreException(RelayStoreError error, string message)
            : base(message)
        {
            Error = error;
        }

        /// <summary>Gets the cause.</summary>
        public RelayStoreError Error { get; }
    }
}
