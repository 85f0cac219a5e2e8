using System;

namespace NanoAgent.Drivers.Se05x
{
    /// <summary>The one exception the SE05x applet layer throws; <see cref="Error"/> says why.</summary>
    public class Se05xException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on.</param>
        public Se05xException(Se05xError error, string message)
            : base(message)
        {
            Error = error;
        }

        /// <summary>Gets the cause.</summary>
        public Se05xError Error { get; }
    }
}
