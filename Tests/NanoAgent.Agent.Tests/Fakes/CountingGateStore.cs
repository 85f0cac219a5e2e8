using NanoAgent.VirtualSe.Gate;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>A gate store that counts its durable saves: each is one NVM write of the gate record on the card.</summary>
internal sealed class CountingGateStore(IGateStore inner) : IGateStore
{
    /// <summary>Gets the number of saves so far.</summary>
    public long Saves { get; private set; }

    public GateRecord? Find(string aid) => inner.Find(aid);

    public void Save(GateRecord record)
    {
        inner.Save(record);
        Saves++;
    }
}
