using NanoAgent.Agent.Messages;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// A checked request waiting in the relay's <see cref="SlotPool"/> for a free logical channel. Two are equal when they
    /// are of the same tenant and script id, so a request re-sent while it waits is recognised and not queued twice.
    /// </summary>
    internal sealed class PendingRequest
    {
        public PendingRequest(string tenantId, ScriptRequest request)
        {
            TenantId = tenantId;
            Request = request;
        }

        public string TenantId { get; }

        public ScriptRequest Request { get; }

        public override bool Equals(object obj)
        {
            PendingRequest other = obj as PendingRequest;
            return other != null && other.TenantId == TenantId && ScriptRelay.SameId(other.Request.ScriptId, Request.ScriptId);
        }

        public override int GetHashCode()
        {
            return TenantId.GetHashCode();
        }
    }
}
