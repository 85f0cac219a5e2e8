using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Fleet;

/// <summary>The one tenant every simulated device serves: its SD, logical channel and keys, as its onboarding put them.</summary>
public sealed class SimulatedTenant
{
    /// <summary>Gets the tenant id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the SD AID.</summary>
    public required byte[] Sd { get; init; }

    /// <summary>Gets the logical channel.</summary>
    public int Channel { get; init; }

    /// <summary>Gets the key version of the tenant's SCP03 key set.</summary>
    public required byte KeyVersion { get; init; }

    /// <summary>Gets the source of each device's SCP03 keys (the same set for every device, or diversified).</summary>
    public required IDeviceKeySource Keys { get; init; }

    /// <summary>Gets the tenant's request key set (KVN 60-6F, docs/protocol.md §3.9).</summary>
    public required Scp03StaticKeys RequestKeys { get; init; }

    /// <summary>Gets the tenant's script size limit in the agent's registry.</summary>
    public int MaxScriptBytes { get; init; } = 16384;
}
