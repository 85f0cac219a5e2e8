using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Backend;

namespace NanoAgent.Host.Fleet;

/// <summary>What every device run of one worker shares: the campaign, its parsed script, the keys, the database and the broker.</summary>
public sealed class CampaignContext
{
    /// <summary>Gets the campaign.</summary>
    public required CampaignDefinition Campaign { get; init; }

    /// <summary>Gets the script, parsed once.</summary>
    public required ScriptFile Script { get; init; }

    /// <summary>Gets each device's SCP03 keys.</summary>
    public required IDeviceKeySource Keys { get; init; }

    /// <summary>Gets the tenant's request key set.</summary>
    public required Scp03StaticKeys RequestKeys { get; init; }

    /// <summary>Gets the worker's side of the database.</summary>
    public required DeviceWork Work { get; init; }

    /// <summary>Gets the worker's broker connection.</summary>
    public required FleetConnection Broker { get; init; }

    /// <summary>Gets how long to wait for a device's retained status before treating it as offline.</summary>
    public TimeSpan StatusWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets the SD AID in hex (the facts' key).</summary>
    public string SdHex => Convert.ToHexString(Campaign.Sd);

    /// <summary>Gets the rollout rules.</summary>
    public RolloutRules Rules => Campaign.Rules;

    /// <summary>Returns the backend options for one device.</summary>
    /// <param name="device">The device id.</param>
    /// <param name="timeout">How long to wait for each answer.</param>
    /// <returns>The options.</returns>
    public BackendOptions OptionsFor(string device, TimeSpan timeout) => new()
    {
        Device = device, Tenant = Campaign.Tenant, Sd = Campaign.Sd, Channel = Campaign.Channel, Level = Campaign.Level,
        S16 = Campaign.S16, Timeout = timeout, RequestKeys = RequestKeys, ProgressEvery = 1024,
    };

    /// <summary>Returns the request signer for one device (the MAC binds the device, docs/protocol.md §3.9).</summary>
    /// <param name="device">The device id.</param>
    /// <returns>The signer.</returns>
    public RequestSigner SignerFor(string device) => RequestSigner.FromKeySet(RequestKeys, device, Campaign.Tenant);
}
