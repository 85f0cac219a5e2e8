using System;

namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// The one exception the APDU layer throws; <see cref="Error"/> says why.
    /// </summary>
    public class ApduException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on.</param>
        public ApduException(ApduError error, string message)
            : base(message)
        {
            Error = error;
        }

        /// <summary>Gets the cause.</summary>
        public ApduError Error { get; }
    }
}
