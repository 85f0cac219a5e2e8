using NanoAgent.Agent.Security;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>Writes a <see cref="SecurityLog"/>'s lines to the runtime's <see cref="IAgentLog"/>.</summary>
    internal sealed class SecurityLogSink : ISecurityLogSink
    {
        private readonly IAgentLog _log;

        public SecurityLogSink(IAgentLog log)
        {
            _log = log;
        }

        public void Line(string line)
        {
            _log.Line(line);
        }
    }
}
