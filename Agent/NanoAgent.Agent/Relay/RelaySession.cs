using System.Collections;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Relay
{
    /// <summary>An open interactive session of one tenant: its id, the next sequence number, the answered steps.</summary>
    internal sealed class RelaySession
    {
        public RelaySession(Tenant tenant, ScriptRequest request, long now)
        {
            Tenant = tenant;
            Request = request;
            LastActivity = now;
            NextSequence = 1;
            Steps = new ArrayList();
        }

        public Tenant Tenant { get; }

        public ScriptRequest Request { get; }

        public long LastActivity { get; set; }

        public int NextSequence { get; set; }

        /// <summary>Gets or sets the last response sent, answered again when the backend's request is redelivered.</summary>
        public ApduResponse LastResponse { get; set; }

        public ArrayList Steps { get; }

        public bool Matches(byte[] scriptId)
        {
            return ScriptRelay.SameId(Request.ScriptId, scriptId);
        }

        public StepResult[] StepArray()
        {
            StepResult[] steps = new StepResult[Steps.Count];
            Steps.CopyTo(steps);
            return steps;
        }
    }
}
