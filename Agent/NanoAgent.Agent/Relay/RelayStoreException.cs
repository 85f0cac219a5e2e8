using System;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// The one exception of the durable relay stores: the stored record is unreadable or unavailable, or a change could not
    /// be written. A store never resets itself silently, because an empty store would accept replayed scripts; the operator
    /// decides (erase or create the record on purpose). After a failed write the store still holds what it held before.
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

        /// <summary>Creates the exception with the failure underneath.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on.</param>
        /// <param name="inner">The failure underneath (I/O, parse).</param>
        public RelayStoreException(RelayStoreError error, string message, Exception inner)
            : base(message, inner)
        {
            Error = error;
        }

        /// <summary>Gets the cause.</summary>
        public RelayStoreError Error { get; }
    }
}
