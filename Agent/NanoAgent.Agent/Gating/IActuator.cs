namespace NanoAgent.Agent.Gating
{
    /// <summary>An actuator (a relay, a valve) the agent drives only after the SE verified the command.</summary>
    public interface IActuator
    {
        /// <summary>Applies a verified command.</summary>
        /// <param name="command">Buffer holding the command bytes (their meaning is the actuator's).</param>
        /// <param name="offset">First command byte.</param>
        /// <param name="count">Number of command bytes.</param>
        /// <param name="result">Buffer receiving result bytes (at least 64 bytes of room from <paramref name="resultOffset"/>).</param>
        /// <param name="resultOffset">Where the first result byte goes.</param>
        /// <returns>The number of result bytes written, or -1 when the actuator refuses the command (nothing was changed).</returns>
        int Apply(byte[] command, int offset, int count, byte[] result, int resultOffset);
    }
}
