using System;

namespace NanoAgent.Drivers.Tlv
{
    /// <summary>
    /// The one exception the BER-TLV reader and writer throw; <see cref="Error"/> says why.
    /// </summary>
    public class TlvException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on.</param>
        public TlvException(TlvError error, string message)
            : base(message)
        {
            Error = error;
        }

        /// <summary>Gets the cause.</summary>
        public TlvError Error { get; }
    }
}
