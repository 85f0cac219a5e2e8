using System;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// The one exception of the durable relay store: its stored record is unreadable, or a write to its storage failed. The store never resets itself
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

        /// <summary>Creates the exception for a failure of the storage underneath.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on.</param>
        /// <param name="inner">The storage's exception.</param>
        public RelayStoreException(RelayStoreError error, string message, Exception inner)
            : base(message, inner)
        {
            Error = error;
        }

        /// <summary>Gets the cause.</summary>
        public RelayStoreError Error { get; }
    }
}
