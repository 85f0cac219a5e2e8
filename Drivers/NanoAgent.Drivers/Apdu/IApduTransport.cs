namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// Carries one command APDU to the secure element and its response back. The caller owns both buffers.
    /// </summary>
    public interface IApduTransport
    {
        /// <summary>Sends a command APDU and receives the response APDU (data and SW1 SW2).</summary>
        /// <param name="command">Buffer holding the command APDU.</param>
        /// <param name="commandOffset">First byte of the command.</param>
        /// <param name="commandCount">Length of the command.</param>
        /// <param name="response">Buffer receiving the response; its capacity is <c>response.Length - responseOffset</c>.</param>
        /// <param name="responseOffset">Where the first response byte goes.</param>
        /// <returns>The number of response bytes written, including the status word.</returns>
        int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset);
    }
}
