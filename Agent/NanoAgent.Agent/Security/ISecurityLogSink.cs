namespace NanoAgent.Agent.Security
{
    /// <summary>Where a <see cref="SecurityLog"/> writes its lines (the agent's log).</summary>
    public interface ISecurityLogSink
    {
        /// <summary>Writes one line.</summary>
        /// <param name="line">The text, without a line break.</param>
        void Line(string line);
    }
}
