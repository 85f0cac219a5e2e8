namespace NanoAgent.Agent.Runtime
{
    /// <summary>Where the agent writes one line per event (the device's debug output, a file, a test's list). Never receives key material.</summary>
    public interface IAgentLog
    {
        /// <summary>Writes one line.</summary>
        /// <param name="line">The text, without a line break.</param>
        void Line(string line);
    }
}
