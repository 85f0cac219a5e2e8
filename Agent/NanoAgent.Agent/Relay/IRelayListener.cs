using NanoAgent.Agent.Messages;

namespace NanoAgent.Agent.Relay
{
    /// <summary>Receives what a <see cref="ScriptRelay"/> reports; the agent service publishes it. Called on the relay's caller thread.</summary>
    public interface IRelayListener
    {
        /// <summary>A batch script advanced.</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="progress">The progress.</param>
        void OnProgress(string tenantId, ScriptProgress progress);

        /// <summary>A request ended: completed, failed, rejected, interrupted, or a stored result answered again.</summary>
        /// <param name="tenantId">The tenant (of the topic the request came on).</param>
        /// <param name="result">The result.</param>
        void OnResult(string tenantId, ScriptResult result);

        /// <summary>An interactive session was opened (sequence 0) or an interactive APDU was answered or refused.</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="response">The response.</param>
        void OnApduResponse(string tenantId, ApduResponse response);
    }
}
