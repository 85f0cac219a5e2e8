using System.Collections;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Relay
{
    /// <summary>An open interactive session of one tenant: its id, its channel, the next sequence number, the answered steps.</summary>
    internal sealed class RelaySession
    {
        public RelaySession(Tenant tenant, ScriptRequest request, long now, int slot, int channel)
        {
            Slot = slot;
            Channel = channel;
            Tenant = tenant;
            Request = request;
            LastActivity = now;
            NextSequence = 1;
            Steps = new ArrayList();
        }

        public Tenant Tenant { get; }

        /// <summary>Gets the slot of the relay's channel pool the session holds.</summary>
        public int Slot { get; }

        /// <summary>Gets the logical channel the session runs on; every APDU's class byte is put on it.</summary>
        public int Channel { get; }

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
