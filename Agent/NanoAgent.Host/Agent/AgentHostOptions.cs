using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Runtime;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Agent;

/// <summary>
/// Everything <see cref="AgentHost"/> needs. Platform SCP03 (GP Amd D between host and SE): on by default for the virtual SE,
/// with the key file <see cref="PlatformKeyFile"/> or <c>~/.nanoagent/platform-keys.json</c>, created with random keys when
/// missing and shared by both sides; on real hardware only when <see cref="PlatformKeyFile"/> names the board's keys.
/// </summary>
public sealed class AgentHostOptions
{
    /// <summary>Gets where the SE is (virtual by default; always set a temp <see cref="SeTarget.StatePath"/> in tests).</summary>
    public SeTarget Target { get; init; } = new();

    /// <summary>Gets the platform SCP03 key file (JSON {kvn, enc, mac, dek}, mode 600), or null for the default described above.</summary>
    public string? PlatformKeyFile { get; init; }

    /// <summary>Gets a value indicating whether platform SCP03 is off even for the virtual SE.</summary>
    public bool DisablePlatformScp { get; init; }

    /// <summary>Gets the tenants served (see <see cref="TenantRegistry.Parse"/> for the text form).</summary>
    public required TenantRegistry Tenants { get; init; }

    /// <summary>Gets the file the tenants were read from, named in errors about them (null: "the tenant registry").</summary>
    public string? TenantsFile { get; init; }

    /// <summary>Gets the id of the device owner's tenant, which may clear other tenants' EXTERNAL AUTHENTICATE guard
    /// (docs/protocol.md §4.5), or null.</summary>
    public string? OwnerTenant { get; init; }

    /// <summary>Gets the most sessions that hold a logical channel at once (null: every channel the SE opens but one, kept
    /// for request verification; docs/protocol.md §4.3). More sessions wait their turn.</summary>
    public int? MaxSessionChannels { get; init; }

    /// <summary>Gets how long a request may wait for a channel, in milliseconds (null: <see cref="NanoAgent.Agent.Relay.RelayOptions.ChannelWaitMilliseconds"/>, 20 s).</summary>
    public int? ChannelWaitMilliseconds { get; init; }

    /// <summary>Gets the relay store file (counters, results, in-flight traces).</summary>
    public required string StorePath { get; init; }

    /// <summary>
    /// Gets a value indicating whether to create <see cref="StorePath"/> as a new, empty store (an existing file is refused);
    /// false: it must exist (<see cref="FileRelayStore.Open"/>).
    /// </summary>
    public bool NewStore { get; init; }

    /// <summary>Gets how many results are kept per tenant.</summary>
    public int ResultsPerTenant { get; init; } = 16;

    /// <summary>Gets the broker to connect to; ignored when <see cref="EmbeddedBrokerPort"/> is set.</summary>
    public MqttBrokerAddress? Broker { get; init; }

    /// <summary>Gets the port of an embedded broker the host starts itself (0: a free port), or null for none.</summary>
    public int? EmbeddedBrokerPort { get; init; }

    /// <summary>Gets the MQTT user name, or null.</summary>
    public string? UserName { get; init; }

    /// <summary>Gets the MQTT password, or null.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// Gets the access rules the embedded broker enforces (users, passwords, per-topic rules; docs/broker-security.md),
    /// or null for none; ignored without <see cref="EmbeddedBrokerPort"/>. The agent logs in with <see cref="UserName"/>.
    /// </summary>
    public NanoAgent.Host.Mqtt.Access.BrokerAccessPolicy? BrokerAccess { get; init; }

    /// <summary>Gets the TLS and timeout settings of the MQTT client, or null for defaults.</summary>
    public MqttNetSettings? Mqtt { get; init; }

    /// <summary>Gets the device id (an identifier: A-Z a-z 0-9 . _ -): the second topic level.</summary>
    public string DeviceId { get; init; } = "dev1";

    /// <summary>Gets the first reconnect delay in milliseconds (doubles up to 30 s).</summary>
    public int ReconnectMinDelayMilliseconds { get; init; } = 500;

    /// <summary>Gets a frame trace sink for the SE bus, or null.</summary>
    public IFrameTraceSink? Trace { get; init; }

    /// <summary>Gets a wrapper put around the APDU transport the relay uses (above platform SCP03): fault injection in tests.</summary>
    public Func<IApduTransport, IApduTransport>? TransportDecorator { get; init; }

    /// <summary>Gets the tenants' gate applet instances: tenant id to gate AID. Readings and actuator commands go through them.</summary>
    public IReadOnlyDictionary<string, byte[]> Gates { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>Gets the card of <see cref="Gates"/>: the gate applet (default), or an SE05x whose gates are the objects of the
    /// tenant blocks named by <see cref="GateAuthObjects"/> (docs/se05x.md). A <see cref="GateConfig"/> sets it with <c>se.card</c>.</summary>
    public GateCard GateCard { get; init; }

    /// <summary>Gets the SE05x gates' tenant blocks: tenant id to authentication object (with <see cref="GateCard"/> SE05x).</summary>
    public IReadOnlyDictionary<string, uint> GateAuthObjects { get; init; } = new Dictionary<string, uint>();

    /// <summary>Gets the gated sensors and actuators (the <c>--gates</c> file), or null; its gates are added to <see cref="Gates"/>.</summary>
    public GatingConfig? GateConfig { get; init; }

    /// <summary>Gets the interval of configured sensors that set no <c>interval_s</c>, in seconds.</summary>
    public int PublishIntervalSeconds { get; init; } = 60;

    /// <summary>Gets how often the agent publishes its SE's key versions and counters (retained, docs/key-status.md): at start and then every
    /// this many seconds, between interactive sessions; 0 turns it off.</summary>
    public int KeyStatusIntervalSeconds { get; init; } = 3600;

    /// <summary>Gets how many security event lines a minute the agent writes per kind and tenant before it counts the rest
    /// in one "suppressed" line (<see cref="NanoAgent.Agent.Security.SecurityLog"/>).</summary>
    public int SecurityLinesPerMinute { get; init; } = NanoAgent.Agent.Security.SecurityLog.DefaultLinesPerWindow;

    /// <summary>Gets the most request bytes queued in RAM before the relay handles them (<see cref="AgentService.MaxInboundBytes"/>);
    /// a PC absorbs a burst of thousands, so the broker's per-client queue (mosquitto: 1000) is what overflows first.</summary>
    public int MaxInboundBytes { get; init; } = 64 << 20;
}
