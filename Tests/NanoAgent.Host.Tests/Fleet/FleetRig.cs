using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Fleet;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Tests.Backend;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary>
/// A simulated fleet in the test process: an embedded broker, N simulated devices (tenant "acme", keys of
/// <see cref="AgentRig"/>), key files and a script on disk, and helpers to create a campaign and run a worker in-process.
/// </summary>
internal sealed class FleetRig : IDisposable
{
    public const string Tenant = "acme";

    private readonly TempDir _dir = new();
    private readonly List<FleetSimulator> _simulators = [];

    private readonly MqttBrokerAddress? _external;
    private readonly byte[]? _secret;
    private readonly TimeSpan _seLatency;

    /// <param name="devices">Devices to start now.</param>
    /// <param name="prefix">Their id prefix.</param>
    /// <param name="broker">Another broker (e.g. mosquitto) for the devices and workers, or null for the rig's embedded one.</param>
    /// <param name="secret">The secret each device's broker password is derived from, or null for no login.</param>
    /// <param name="seLatency">How long each SE command takes (then every device gets a pump of its own, up to 64).</param>
    /// <param name="deviceKeys">Where each device's SD keys come from (default: the same keys on every device).</param>
    public FleetRig(int devices, string prefix = "sim-", MqttBrokerAddress? broker = null, byte[]? secret = null, TimeSpan seLatency = default,
        IDeviceKeySource? deviceKeys = null)
    {
        _external = broker;
        _secret = secret;
        _seLatency = seLatency;
        DeviceKeys = deviceKeys ?? new SameKeysForEveryDevice(AgentRig.Keys, "rig");
        Broker = new EmbeddedBroker(0);
        Broker.Start();
        AgentRig.WriteKeys(KeysPath, 0x01, 0x10);
        AgentRig.WriteKeys(RequestKeyPath, 0x60, 0x50);
        File.WriteAllText(ScriptPath, FleetScripts.StoreData(10));
        if (devices > 0)
        {
            AddDevices(devices, prefix);
        }
    }

    public EmbeddedBroker Broker { get; }

    /// <summary>Gets where each simulated device's SD keys come from (as its factory put them).</summary>
    public IDeviceKeySource DeviceKeys { get; }

    public string BrokerUrl => $"mqtt://127.0.0.1:{_external?.Port ?? Broker.Port}";

    public string Dir => _dir.Path;

    public string KeysPath => Path.Combine(_dir.Path, "acme.keys");

    public string RequestKeyPath => Path.Combine(_dir.Path, "acme-request.keys");

    public string ScriptPath => Path.Combine(_dir.Path, "store.apdu");

    public static byte[] Sd { get; } = Convert.FromHexString(FleetScripts.DefaultSd);

    public List<SimulatedDevice> Devices { get; } = [];

    public List<string> Ids => Devices.Select(d => d.Id).ToList();

    public SimulatedDevice this[string id] => Devices.Single(d => d.Id == id);

    public List<SimulatedDevice> AddDevices(int count, string prefix = "sim-", int first = 1)
    {
        var simulator = FleetSimulator.Start(new FleetSimulatorOptions
        {
            Devices = count, Prefix = prefix, FirstIndex = first, Broker = _external ?? Broker.Address, PasswordSecret = _secret,
            SeLatency = _seLatency, Pumps = _seLatency > TimeSpan.Zero ? Math.Clamp(count, 2, 64) : 2,
            Tenant = new SimulatedTenant
            {
                Id = Tenant, Sd = Sd, KeyVersion = 0x01, Keys = DeviceKeys, RequestKeys = AgentRig.RequestKeys,
            },
        }, TextWriter.Null);
        _simulators.Add(simulator);
        Devices.AddRange(simulator.Devices);
        return [.. simulator.Devices];
    }

    public string WriteDeviceList(IEnumerable<string> ids)
    {
        string path = Path.Combine(_dir.Path, $"devices-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, ids);
        return path;
    }

    public CampaignStore Create(string db, string name, IReadOnlyList<string> devices, RolloutRules? rules = null, string mode = "batch", string? script = null)
    {
        var store = new CampaignStore(FleetDatabase.Open(db, create: true));
        store.Create(new CampaignDefinition
        {
            Name = name, Tenant = Tenant, Sd = Sd, KeyVersion = 0x01, Mode = mode, ScriptName = "store.apdu",
            ScriptText = script ?? File.ReadAllText(ScriptPath), Rules = rules ?? new RolloutRules { MaxInFlight = 16, DeviceTimeout = TimeSpan.FromSeconds(30) },
        }, devices);
        return store;
    }

    public (int Exit, string Output, string Error) Run(string db, string name, string? requestKey = null, bool resume = false, CancellationToken stop = default,
        string? user = null, string? password = null, string? masterKey = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = new CampaignRunRequest
        {
            Name = name, Db = db, KeysPath = masterKey is null ? KeysPath : null, MasterKey = masterKey, RequestKeyPath = requestKey ?? RequestKeyPath, Broker = BrokerUrl,
            Resume = resume, User = user, Password = password,
            ProgressInterval = TimeSpan.FromSeconds(30),
        }.Execute(output, error, stop);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>How many STORE DATA commands reached a device's card: 9 for each time the 10-step script ran.</summary>
    public int StoreDataCount(string id) => this[id].Link.Count(0xE2);

    public int SequenceCounter(string id) => this[id].Domain(Sd)!.SequenceCounter;

    public void Dispose()
    {
        foreach (FleetSimulator simulator in _simulators)
        {
            simulator.Dispose();
        }

        Broker.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
