using System;

namespace NanoAgent.Drivers.T1
{
    /// <summary>
    /// The one exception the block protocols throw. <see cref="Error"/> says why; the message says it in words.
    /// </summary>
    public class BlockProtocolException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="error">The cause.</param>
        /// <param name="message">A sentence a person can act on.</param>
        public BlockProtocolException(BlockProtocolError error, string message)
            : base(message)
        {
            Error = error;
        }

        /// <summary>Gets the cause.</summary>
        public BlockProtocolError Error { get; }
    }
}
