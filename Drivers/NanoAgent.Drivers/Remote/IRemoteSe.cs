namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// The secure element a remote test-tool session serves: the real SE on the bus or the virtual SE, behind its block protocol.
    /// </summary>
    public interface IRemoteSe
    {
        /// <summary>Cold-resets the SE and returns its ATR (or CIP for GP T=1').</summary>
        /// <param name="atr">Where the ATR goes.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The ATR length.</returns>
        /// <exception cref="NanoAgent.Drivers.T1.BlockProtocolException">The SE did not answer.</exception>
        int ColdReset(byte[] atr, int offset);

        /// <summary>Warm-resets the SE and returns its ATR (or CIP for GP T=1').</summary>
        /// <param name="atr">Where the ATR goes.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The ATR length.</returns>
        /// <exception cref="NanoAgent.Drivers.T1.BlockProtocolException">The SE did not answer.</exception>
        int WarmReset(byte[] atr, int offset);

        /// <summary>Sends a command APDU as is (no GET RESPONSE or 6Cxx handling: the test tool sees what the SE says).</summary>
        /// <param name="command">The command buffer.</param>
        /// <param name="commandOffset">First command byte.</param>
        /// <param name="commandCount">Command length.</param>
        /// <param name="response">Where the response APDU goes.</param>
        /// <param name="responseOffset">First response byte.</param>
        /// <returns>The response length including SW1 SW2.</returns>
        /// <exception cref="NanoAgent.Drivers.T1.BlockProtocolException">The link failed.</exception>
        int Transmit(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset);

        /// <summary>Describes the SE and its link for REQ_DIAG, in one line of plain words.</summary>
        /// <returns>The description.</returns>
        string Describe();
    }
}
