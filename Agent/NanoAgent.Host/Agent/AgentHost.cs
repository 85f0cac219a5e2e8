using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Runtime;
using NanoAgent.Agent.Se05x;
using NanoAgent.Agent.Security;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Status;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Se05x;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Se;
using NanoAgent.VirtualSe.Platform;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Agent;

/// <summary>
/// The whole relay agent on a PC (docs/protocol.md): the SE link (virtual or real, optionally under platform SCP03), the
/// tenant registry, a <see cref="FileRelayStore"/>, an MQTT connection that reconnects by itself (to a broker, or to an
/// embedded one it starts), the <see cref="AgentService"/>, and a worker thread handling requests. One log line per event.
/// <see cref="Dispose"/> stops it cleanly ("offline" status, disconnect, SE closed).
/// </summary>
public sealed class AgentHost : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private readonly AgentLog _log;
    private readonly AutoResetEvent _wake = new(false);
    private readonly List<IDisposable> _owned = new();
    private readonly string _deviceId;
    private TenantRegistry _tenants = new();
    private ReconnectingMqttConnection? _mqtt;
    private Thread? _worker;
    private volatile bool _stopping;
    private volatile bool _reannounce;
    private int _faults;
    private KeyStatusReporter? _keyStatus;
    private long _nextKeyStatus;
    private int _keyStatusInterval;
    private KeyChangeWatch? _keyChanges;
    private int _keyChangesPublished;
    private int _tenantsPublished;

    private AgentHost(TextWriter log, string deviceId)
    {
        _log = new AgentLog(log);
        _deviceId = deviceId;
    }

    /// <summary>Gets the SE connection (its <see cref="SeConnection.Virtual"/> is the virtual SE, if any).</summary>
    public SeConnection Se { get; private set; } = null!;

    /// <summary>Gets the platform SCP03 layer, or null when platform SCP03 is off.</summary>
    public PlatformScp03Transport? PlatformScp { get; private set; }

    /// <summary>Gets the relay store.</summary>
    public FileRelayStore Store { get; private set; } = null!;

    /// <summary>Gets the relay.</summary>
    public ScriptRelay Relay { get; private set; } = null!;

    /// <summary>Gets the agent service.</summary>
    public AgentService Service { get; private set; } = null!;

    /// <summary>Gets the SE link the relay uses, shared one exchange at a time with the gating code (<see cref="Gating"/>).</summary>
    public IApduTransport ApduTransport { get; private set; } = null!;

    /// <summary>Gets the agent's MQTT connection (reconnecting), for the gated publisher and command handler.</summary>
    public IMqttConnection Mqtt => _mqtt ?? throw new InvalidOperationException("the agent is not connected");

    /// <summary>Gets the link to NXP's SE05x IoT applet, or null when the agent serves no SE05x tenant or gate (docs/se05x.md).</summary>
    public Se05xApplet? Se05x { get; private set; }

    /// <summary>Gets the SE05x request verifier, or null (its counts: one-shot, streamed, NVM-writing commands).</summary>
    public Se05xRequestVerifier? Se05xVerifier { get; private set; }

    /// <summary>Gets the gated sensors and actuators, or null when no tenant has a gate (<see cref="AgentHostOptions.Gates"/>).</summary>
    public AgentGating? Gating { get; private set; }

    /// <summary>Gets the embedded broker, or null when the host connects to an outside broker.</summary>
    public EmbeddedBroker? EmbeddedBroker { get; private set; }

    /// <summary>Gets the broker the agent is connected to.</summary>
    public MqttBrokerAddress BrokerAddress { get; private set; } = null!;

    /// <summary>Gets the agent's security events: refused requests and commands, guard trips, broker refusals (rate-limited lines).</summary>
    public SecurityLog SecurityLog { get; private set; } = null!;

    /// <summary>Gets the number of unexpected errors the worker caught (each is logged).</summary>
    public int Faults => Volatile.Read(ref _faults);

    /// <summary>Gets or sets why the agent stops (e.g. "SIGTERM"), shown on the "agent stopped" line; null when it just ends.</summary>
    public string? StopReason { get; set; }

    /// <summary>Builds and starts the agent: SE, platform SCP03, store, recovery of interrupted runs, broker, worker.</summary>
    /// <param name="options">The options.</param>
    /// <param name="log">Where the event lines go.</param>
    /// <returns>The running agent.</returns>
    /// <exception cref="FileRelayStoreException">The store file is missing (without <see cref="AgentHostOptions.NewStore"/>),
    /// already there (with it), corrupt, read-only or unwritable.</exception>
    /// <exception cref="PlatformKeyStoreException">The platform key file is unusable.</exception>
    /// <exception cref="NanoAgent.Drivers.T1.BlockProtocolException">The SE does not answer.</exception>
    /// <exception cref="SecureChannelException">Platform SCP03 authentication failed (wrong keys).</exception>
    /// <exception cref="MqttConnectionException">The broker cannot be reached or started.</exception>
    /// <exception cref="ArgumentException">No broker was given, or the device id is not an identifier.</exception>
    public static AgentHost Start(AgentHostOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var host = new AgentHost(log, options.DeviceId);
        try
        {
            host.Build(options);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Says whether platform SCP03 is on for these options, and with which key file.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The key file, or null when platform SCP03 is off.</returns>
    public static string? PlatformKeyFileFor(AgentHostOptions options)
    {
        if (options.DisablePlatformScp)
        {
            return null;
        }

        return options.Target.IsVirtual ? options.PlatformKeyFile ?? PlatformKeyStore.DefaultPath : options.PlatformKeyFile;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        if (_worker is { } worker && worker != Thread.CurrentThread && !worker.Join(StopTimeout))
        {
            _log.Line("agent: the worker did not stop within 10 s");
        }

        if (_mqtt is not null && Service is not null)
        {
            Service.Stop();
        }

        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
        if (_worker is not null)
        {
            _log.Line(StopReason is null ? "agent stopped" : $"agent stopped ({StopReason})");
            _worker = null;
        }
    }

    private void Build(AgentHostOptions options)
    {
        _tenants = options.Tenants;
        SecurityLog = new SecurityLog(_log, SystemClock.Instance, options.DeviceId, options.SecurityLinesPerMinute);
        var (sensors, actuators) = MakeGateDrivers(options.GateConfig);
        Store = options.NewStore
            ? FileRelayStore.Create(options.StorePath, options.ResultsPerTenant)
            : FileRelayStore.Open(options.StorePath, options.ResultsPerTenant);
        if (options.NewStore)
        {
            _log.Line($"agent: created an empty relay store {Store.Path}");
        }
        else
        {
            Store.ProveWritable();
        }

        GateCard gateCard = options.GateConfig?.Card ?? options.GateCard;
        bool se05x = gateCard == GateCard.Se05x || options.Target.IsSe05xCard || options.Tenants.All().Any(t => t.IsSe05x);
        IApduTransport transport = OpenSe(options, se05x);

        // docs/protocol.md §4.3: sessions take the channels the SE opens (asked once here), one left for request verification;
        // an SE05x has the basic channel only and gives the relay its applet's sessions instead (§4.6).
        int[] openable = se05x ? [] : ChannelProbe.OpenableChannels(transport);
        var relayOptions = new RelayOptions
        {
            OwnerTenantId = options.OwnerTenant,
            SessionChannels = ChannelProbe.SessionChannels(openable, options.MaxSessionChannels ?? LogicalChannel.MaxChannel),
            MaxWaitingRequests = 64, // a PC holds them easily; a board keeps the default
        };
        if (options.ChannelWaitMilliseconds is int wait)
        {
            relayOptions.ChannelWaitMilliseconds = wait;
        }

        _log.Line(se05x
            ? $"agent: the SE05x applet holds up to {relayOptions.Se05xSessions} session(s) at once, more wait their turn"
            : $"agent: the SE opens {openable.Length} supplementary logical channel(s): up to {relayOptions.SessionChannels.Length} session(s) at once"
            + (relayOptions.SessionChannels[0] == 0 ? " on the basic channel" : $" on channels {string.Join(",", relayOptions.SessionChannels)}") + ", more wait their turn");
        if (PlatformScp is not null)
        {
            // Amd D §6.2.4: the wrapped command must still fit a short APDU, so the relay refuses longer steps up front.
            relayOptions.MaxCommandData = PlatformScp.MaxCommandData;
        }

        if (options.TransportDecorator is not null)
        {
            transport = options.TransportDecorator(transport);
        }

        ApduTransport = new SerializedApduTransport(transport);
        _keyChanges = new KeyChangeWatch(ApduTransport);
        bool gpTenants = options.Tenants.All().Any(t => !t.IsSe05x);
        if (se05x)
        {
            OpenApplet(options, relayOptions);
        }

        Relay = new ScriptRelay(
            options.Tenants, new AgentLog.Store(Store, _log), _keyChanges, SystemClock.Instance, relayOptions,
            new CardRequestVerifier(gpTenants || Se05x is null ? new SeRequestVerifier(ApduTransport, options.DeviceId, relayOptions.MaxCommandData) : null, Se05xVerifier),
            Se05x)
        {
            SecurityLog = SecurityLog,
        };

        if (options.EmbeddedBrokerPort is int port)
        {
            EmbeddedBroker = options.BrokerAccess is null
                ? new EmbeddedBroker(port, options.UserName, options.Password)
                : new EmbeddedBroker(port) { AccessPolicy = options.BrokerAccess, Log = line => _log.Line("broker: " + line) };
            _owned.Add(EmbeddedBroker);
            EmbeddedBroker.Start();
            BrokerAddress = EmbeddedBroker.Address;
            _log.Line($"agent: embedded broker on {BrokerAddress}");
        }
        else
        {
            BrokerAddress = options.Broker ?? throw new ArgumentException("give a broker address or an embedded broker port");
        }

        var reconnect = new ReconnectOptions { MinDelayMilliseconds = options.ReconnectMinDelayMilliseconds };
        var connection = new MqttNetConnection(BrokerAddress, options.Mqtt);
        _mqtt = new ReconnectingMqttConnection(new SecurityWatchConnection(connection, SecurityLog), SystemClock.Instance, reconnect, ownsInner: true);
        _owned.Add(_mqtt);
        Service = new AgentService(new WildcardRequestConnection(_mqtt, _deviceId), options.Tenants, Relay, _deviceId) { MaxInboundBytes = options.MaxInboundBytes };
        Relay.Listener = new AgentLog.Listener(Relay.Listener, _log);
        _mqtt.MessageReceived += OnMessage;
        _mqtt.ConnectionLost += (_, _) =>
        {
            _log.Line($"agent: broker {BrokerAddress} lost, reconnecting{(connection.LastDisconnectReason is { } why ? " (" + why + ")" : string.Empty)}");
            if (connection.LastDisconnectReason is { } reason && reason.StartsWith("session taken over", StringComparison.Ordinal))
            {
                SecurityLog.Report(SecurityEventKind.Broker, null, $"the agent's session (client id of user '{options.UserName}')", null, reason);
            }
        };
        _mqtt.Reconnected += (_, _) =>
        {
            // The broker published the retained "offline" will when the link dropped: announce "online" again.
            _reannounce = true;
            _wake.Set();
        };

        int interrupted = Store.Runs().Length;
        Service.Start(new MqttConnectOptions
        {
            ClientId = NanoAgent.Host.Mqtt.Access.BrokerClientIds.Agent(options.UserName, _deviceId),
            UserName = options.UserName,
            Password = options.Password,
            CleanSession = false,
        });
        _log.Line($"agent {_deviceId} online at {BrokerAddress}: tenants {string.Join(", ", options.Tenants.All().Select(t => t.Id))}"
            + (interrupted > 0 ? $"; {interrupted} interrupted run(s) reported" : string.Empty));
        _keyStatus = new KeyStatusReporter(options.Tenants, new ApduKeyInfoSource(ApduTransport));
        _keyStatusInterval = gpTenants ? options.KeyStatusIntervalSeconds : 0; // docs/key-status.md: GP tenants only
        if (_keyStatusInterval > 0)
        {
            PublishKeyStatus();
        }

        var gates = new Dictionary<string, byte[]>(options.Gates);
        var authObjects = new Dictionary<string, uint>(options.GateAuthObjects);
        for (int i = 0; i < (options.GateConfig?.GateCount ?? 0); i++)
        {
            gates[options.GateConfig!.GateTenantAt(i)] = options.GateConfig.GateAidAt(i);
            authObjects[options.GateConfig.GateTenantAt(i)] = options.GateConfig.GateAuthObjectAt(i);
        }

        if (gates.Count > 0)
        {
            Gating = new AgentGating(_mqtt, _deviceId, ApduTransport, gates, _log, gateCard, authObjects, Se05x);
            Gating.Commands.SecurityLog = SecurityLog;
            if (options.GateConfig is { } gating)
            {
                Gating.Configure(gating, sensors, actuators, options.PublishIntervalSeconds * 1000);
            }
        }

        _worker = new Thread(Work) { IsBackground = true, Name = "nanoagent-relay" };
        _worker.Start();
    }

    private static Se05xAppletVersion PlainAppletVersion(IApduTransport transport)
    {
        byte[] command = new byte[32];
        byte[] response = new byte[64];
        int n = new Se05xObjectCommands().Select(command, 0);
        int r = transport.Transceive(command, 0, n, response, 0);
        return r >= 2 && Se05xAppletVersion.TryParse(response, 0, r - 2, out Se05xAppletVersion version) ? version : default;
    }

    // NXP's IoT applet (docs/se05x.md): selected once; its version decides the payload limit (892 bytes on 3.x, 1024 on 7.x,
    // less platform SCP03), which the relay's step limit and the request verifier's one-shot/streaming choice follow.
    private void OpenApplet(AgentHostOptions options, RelayOptions relayOptions)
    {
        Se05x = new Se05xApplet(ApduTransport, PlatformScp?.MaxExtendedCommandData ?? 65535, PlatformScp is not null);
        ushort sw = Se05x.EnsureSelected();
        if (sw != 0x9000)
        {
            throw new InputFileException(options.TenantsFile ?? "the tenant registry",
                $"names SE05x tenants or gates, but the SE has no SE05x IoT applet (SELECT answered {StatusWordText.Describe(sw)}): use a GP card's form, or an SE05x");
        }

        relayOptions.MaxCommandData = Se05x.MaxCommandData;
        relayOptions.MaxResponseData = Se05xApplet.Payload7;
        Se05xVerifier = new Se05xRequestVerifier(Se05x, options.DeviceId, SystemClock.Instance, Se05xRequestVerifier.DefaultStreamsPerDay, Se05xRequestVerifier.DefaultStreamBurst);
        Se05xAppletVersion v = Se05x.Version;
        _log.Line($"agent: SE05x IoT applet {v.Major}.{v.Minor}.{v.Patch}, {Se05x.MaxCommandData} bytes per command");
    }

    // Drivers first, so a source that cannot run here or a GPIO line that cannot be opened stops the start before the SE is touched.
    private (List<ISensor?> Sensors, List<IActuator> Actuators) MakeGateDrivers(GatingConfig? config)
    {
        var sensors = new List<ISensor?>();
        var actuators = new List<IActuator>();
        for (int i = 0; i < (config?.SensorCount ?? 0); i++)
        {
            sensors.Add(GateDrivers.Sensor(config!.SensorAt(i), _log.Line));
        }

        for (int i = 0; i < (config?.ActuatorCount ?? 0); i++)
        {
            IActuator actuator = GateDrivers.Actuator(config!.ActuatorAt(i), _log.Line);
            actuators.Add(actuator);
            if (actuator is IDisposable owned)
            {
                _owned.Add(owned);
            }
        }

        return (sensors, actuators);
    }

    private IApduTransport OpenSe(AgentHostOptions options, bool se05x)
    {
        string? keyFile = PlatformKeyFileFor(options);
        Scp03StaticKeys? keys = null;
        if (keyFile is not null)
        {
            string ownKeys = PlatformScpOptions.KeyFileFor(options.Target.StatePath);
            if (options.Target.IsVirtual && !File.Exists(keyFile) && File.Exists(ownKeys))
            {
                // A virtual SE that has its keys already (an SE05x makes its own, as NXP personalises the chip) and a host
                // with none yet: the host takes a copy, as a device maker takes the chip's keys from its supplier.
                PlatformKeyStore.Load(ownKeys, BouncyCastleAesFactory.Instance);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
                File.Copy(ownKeys, keyFile);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                _log.Line($"agent: took the virtual SE's own platform keys ({ownKeys}) as {keyFile}, as a device maker takes a chip's keys from its supplier");
            }

            keys = PlatformKeyStore.LoadOrCreate(keyFile, BouncyCastleAesFactory.Instance, out bool created);
            if (created)
            {
                _log.Line($"agent: created platform key file {keyFile} ({keys})");
            }
        }

        // The virtual SE keeps its own platform keys with its state; its first use copies the host's file (the factory step).
        PlatformScpOptions? cardSide = keys is null ? null : new PlatformScpOptions { FactoryKeyFile = keyFile };
        string? cardKeys = cardSide is null || !options.Target.IsVirtual ? null : PlatformScpOptions.KeyFileFor(options.Target.StatePath);
        bool personalised = cardKeys is not null && !File.Exists(cardKeys);
        Se = SeConnection.Create(options.Target, options.Trace, cardSide);
        if (personalised && File.Exists(cardKeys))
        {
            _log.Line($"agent: the virtual SE was given the platform keys of {keyFile} (its own copy: {cardKeys}); another key file later fails as on a real SE");
        }

        _owned.Add(Se);
        Se.Transport.Open();
        if (keys is null)
        {
            _log.Line($"agent: SE on {Se.BusDescription} ({Se.Transport.ProtocolName}), platform SCP03 off");
            return Se.Transport;
        }

        PlatformScp = new PlatformScp03Transport(Se.Transport, CryptoRandomSource.Instance, se05x ? 4096 : 256);
        if (se05x)
        {
            // An SE050 (IoT applet below 4.3) counts only commands with data in its platform channel's counter (NXP
            // fsl_sss_se05x_apis.c): the applet's version comes from a plain SELECT, which the applet answers before the channel.
            PlatformScp.CountsCommandsWithDataOnly = PlainAppletVersion(Se.Transport).PlatformScpCountsDataCommandsOnly;
        }

        PlatformScp.Open(keys);
        _log.Line($"agent: SE on {Se.BusDescription} ({Se.Transport.ProtocolName}), platform SCP03 level {PlatformScp.SecurityLevel:X2} with {keys}");
        return PlatformScp;
    }

    /// <summary>Publishes the SE's key versions, counters and rotation state per tenant (retained on nanoagent/{device}/keys).</summary>
    /// <returns>The published text.</returns>
    public string PublishKeyStatus() => PublishKeyStatus(null);

    private string PublishKeyStatus(string? why)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        _nextKeyStatus = now + _keyStatusInterval;
        _keyChangesPublished = _keyChanges?.Changes ?? 0;
        _tenantsPublished = _tenants.Version;
        string text = _keyStatus!.Publish(Mqtt, _deviceId, now);
        _log.Line($"agent: key status published{why} ({text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} domains)");
        return text;
    }

    // docs/key-status.md: after a relayed run changed keys (PUT KEY, DELETE, INSTALL accepted by the SE) or the tenants
    // changed (onboarding, provider change), else hourly.
    private string? KeyStatusDue()
    {
        if (_keyStatusInterval <= 0)
        {
            return null;
        }

        if (_keyChanges is not null && _keyChanges.Changes != _keyChangesPublished)
        {
            return " after a key change";
        }

        if (_tenants.Version != _tenantsPublished)
        {
            return " after a change of tenants";
        }

        return DateTimeOffset.UtcNow.ToUnixTimeSeconds() >= _nextKeyStatus ? string.Empty : null;
    }

    private void OnMessage(object? sender, MqttMessage message)
    {
        string? tenant = AgentTopics.TenantOfRequest(_deviceId, message.Topic);
        if (tenant is not null && message.Retained)
        {
            _log.Line(tenant, "retained copy of a request ignored: a request runs once, when it is published");
        }

        _wake.Set();
    }

    private void Work()
    {
        while (!_stopping)
        {
            _wake.WaitOne(TimeSpan.FromSeconds(1));
            if (_stopping)
            {
                break;
            }

            try
            {
                if (_reannounce)
                {
                    _reannounce = false;
                    _log.Line($"agent: reconnected to {BrokerAddress}");
                    Service.Reconnect();
                }

                Service.ProcessInbound();
                SecurityLog.Flush();
                if (Relay.OpenSessionCount == 0 || Se05x is not null)
                {
                    // The gate applet is selected on the basic channel: readings wait while a tenant's session is open (it might be
                    // there). An SE05x gate runs in the applet's default session, beside the tenants' applet sessions.
                    Gating?.PublishDue();
                }
                if (Relay.OpenSessionCount == 0 && KeyStatusDue() is { } why)
                {
                    // Reading key information selects each SD on its channel, so only between sessions.
                    PublishKeyStatus(why);
                }
            }
            catch (Exception e)
            {
                // A bug, a broken store or a dead SE: logged; the trace in the store reports the run at the next start.
                Interlocked.Increment(ref _faults);
                _log.Line($"agent error: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
