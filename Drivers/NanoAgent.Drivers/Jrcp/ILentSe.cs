namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>
    /// The SE as a lab tool borrows it: the ATR of the session in force and raw APDU exchanges. The caller holds the SE's
    /// <see cref="NanoAgent.Drivers.Apdu.SeAccessLock"/> around each call. Lending never resets the SE: other users (the
    /// relay, other tools) keep their sessions.
    /// </summary>
    public interface ILentSe
    {
        /// <summary>Copies the ATR (SE05x) or CIP (GP T=1') of the link in force, activating the link if it is not.</summary>
        /// <param name="buffer">Where the bytes go.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The length; 0 when the SE cannot be reached now.</returns>
        int ReadAtr(byte[] buffer, int offset);

        /// <summary>Sends a command APDU as it is (no GET RESPONSE, no 6Cxx re-send: the tool sees what the SE says).</summary>
        /// <param name="command">The command buffer.</param>
        /// <param name="commandOffset">First command byte.</param>
        /// <param name="commandCount">Command length.</param>
        /// <param name="response">Where the response APDU goes.</param>
        /// <param name="responseOffset">First response byte.</param>
        /// <returns>The response length including SW1 SW2.</returns>
        /// <exception cref="NanoAgent.Drivers.T1.BlockProtocolException">The link failed or is down.</exception>
        int Transmit(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset);
    }
}
