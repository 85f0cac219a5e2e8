using System;

namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// The one exception the secure channel layer throws; <see cref="Error"/> says why.
    /// </summary>
    public class SecureChannelException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on; never key material.</param>
        public SecureChannelException(SecureChannelError error, string message)
            : base(message)
        {
            Error = error;
        }

        /// <summary>Gets the cause.</summary>
        public SecureChannelError Error { get; }
    }
}
