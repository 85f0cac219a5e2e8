namespace NanoAgent.Drivers.Gp
{
    /// <summary>Receives every APDU a <see cref="GpSecureSession"/> exchanges, for a command line that shows them or a test log.</summary>
    public interface IGpSessionTrace
    {
        /// <summary>Called before a command is sent.</summary>
        /// <param name="plain">The command in clear (as built).</param>
        /// <param name="plainOffset">First plain byte.</param>
        /// <param name="plainCount">Plain length.</param>
        /// <param name="wire">The command as it goes on the wire (wrapped, or the same as plain before the session opens).</param>
        /// <param name="wireOffset">First wire byte.</param>
        /// <param name="wireCount">Wire length.</param>
        void Command(byte[] plain, int plainOffset, int plainCount, byte[] wire, int wireOffset, int wireCount);

        /// <summary>Called with the response in clear (unwrapped when the session is open).</summary>
        /// <param name="response">Buffer holding data and status word.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        void Response(byte[] response, int offset, int count);
    }
}
