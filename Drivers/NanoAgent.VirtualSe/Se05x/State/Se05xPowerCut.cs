namespace NanoAgent.VirtualSe.Se05x.State;

/// <summary>Where a power cut armed with <see cref="Se05xNvmFaults"/> strikes a commit of the virtual SE05x.</summary>
public enum Se05xPowerCut
{
    /// <summary>Before anything is written: the card restarts with the state before the command.</summary>
    BeforeWrite,

    /// <summary>Half-way through writing the new state: the write is torn, the card restarts with the state before the command.</summary>
    TornWrite,

    /// <summary>After the new state is written, before the answer leaves the card: it restarts with the state after the command.</summary>
    AfterWrite,
}
