using System;

namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// The one exception the remote test-tool layer throws: the session cannot go on. <see cref="Error"/> says why.
    /// </summary>
    public class RemoteException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on.</param>
        public RemoteException(RemoteError error, string message)
            : base(message)
        {
            Error = error;
        }

        /// <summary>Creates the exception around a lower-level failure.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on.</param>
        /// <param name="inner">The failure underneath.</param>
        public RemoteException(RemoteError error, string message, Exception inner)
            : base(message, inner)
        {
            Error = error;
        }

        /// <summary>Gets the cause.</summary>
        public RemoteError Error { get; }
    }
}
