using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Backend;

/// <summary>How a tenant's backend runs a script: which device, tenant, SD, security level and mode.</summary>
public sealed class BackendOptions
{
    /// <summary>Gets the device id (second topic level).</summary>
    public required string Device { get; init; }

    /// <summary>Gets the tenant id.</summary>
    public required string Tenant { get; init; }

    /// <summary>Gets the SD AID (from the script's <c>sd</c> line or <c>--sd</c>).</summary>
    public required byte[] Sd { get; init; }

    /// <summary>
    /// Gets a value indicating whether the target is NXP's SE05x IoT applet (<see cref="Sd"/> is its AID): the tenant is an
    /// AESKey authentication object, its session is the applet session the agent opens for it, its SCP03 runs with KVN 00 on
    /// the basic channel, and its APDUs go without Le (docs/protocol.md §4.6).
    /// </summary>
    public bool Se05x => Sd.AsSpan().SequenceEqual(NanoAgent.Agent.Tenants.Tenant.AppletAid());

    /// <summary>Gets the 16-byte key of the SE05x tenant's authentication object (its applet-level SCP03 key), or null for a
    /// GP tenant; with it the backend runs <see cref="NanoAgent.Drivers.Se05x.Se05xAppletScp03"/> in the applet session.</summary>
    public byte[]? Se05xAuthKey { get; init; }

    /// <summary>Gets the logical channel the commands are written for (default 0). Any works: the relay puts each session on
    /// a channel of its own, and SCP03 MACs the class byte with channel zero (docs/protocol.md §4.3).</summary>
    public int Channel { get; init; }

    /// <summary>Gets the SCP03 security level of EXTERNAL AUTHENTICATE (GP Amd D §7.1.2.1), default 0x33.</summary>
    public byte Level { get; init; } = 0x33;

    /// <summary>Gets a value indicating whether to use S16 mode (16-byte challenges and MACs).</summary>
    public bool S16 { get; init; }

    /// <summary>Gets how long to wait for each answer of the agent.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the sequence counter a batch session is pre-computed for (overrides the state file), or null.</summary>
    public int? SequenceCounter { get; init; }

    /// <summary>
    /// Gets the tenant's request key set (version '60'-'6F', docs/protocol.md §3.9) every request is authenticated with;
    /// null sends unauthenticated requests, which the relay refuses (only tests and the demo's attacker do that).
    /// </summary>
    public Scp03StaticKeys? RequestKeys { get; init; }

    /// <summary>Gets a value indicating whether the first request clears the relay's EXTERNAL AUTHENTICATE guard (§4.5).</summary>
    public bool ResetAuthGuard { get; init; }

    /// <summary>Gets the tenant whose EXTERNAL AUTHENTICATE guard this (owner's) backend clears with its first request, or null.</summary>
    public string? ResetAuthGuardOf { get; init; }

    /// <summary>Gets the agent's progress interval for batch scripts (steps between progress messages).</summary>
    public int ProgressEvery { get; init; } = 1;
}
