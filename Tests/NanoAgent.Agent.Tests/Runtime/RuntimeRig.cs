using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Runtime;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Platform;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Agent.Tests.Runtime;

/// <summary>
/// A virtual SE05x (platform SCP03 required) with tenant acme's SSD and its keyed gate, an in-memory broker, a fake
/// watchdog, log and meter, and the configuration text the firmware would read; <see cref="Start"/> boots the runtime.
/// </summary>
internal sealed class RuntimeRig
{
    public const string Device = "dev1";
    public const string SsdA = "A0000001515350410A";
    public const string GateA = "F06E616E6F47410A";
    public const string PlatformKeyHex = "404142434445464748494A4B4C4D4E4F"; // GP Amd D example key (kaoh/globalplatform scp03Test.c)

    public RuntimeRig()
    {
        byte[] key = Hex.Parse(PlatformKeyHex);
        Scp03StaticKeys platformKeys = new(BouncyCastleAesFactory.Instance, 0x01, key, key, key);
        Se = VirtualSecureElement.Create(VirtualSeProtocol.Se05xI2c, platformScp: new PlatformScpOptions { Keys = platformKeys }, gateStore: GateStore);
        Provision();
        Config = $"""
            # nanoagent.conf as the firmware reads it
            device.id = {Device}
            board = esp32-devkitc
            broker.host = broker.test
            tenant = acme {SsdA} 1
            gate.acme = {GateA}
            sensor.meter = acme
            se.protocol = se05x
            platform.keys = I:\platform.keys
            se.retry_min_ms = 1000
            se.retry_max_ms = 8000
            reconnect.min_ms = 500
            publish.period_ms = 60000
            watchdog.offline_ms = 30000
            """;
        KeyText = $"kvn = 01\nenc = {PlatformKeyHex}\nmac = {PlatformKeyHex}\ndek = {PlatformKeyHex}\n";
    }

    public VirtualSecureElement Se { get; }

    /// <summary>Gets the gate applet's persistent memory, counting its saves (NVM writes).</summary>
    public CountingGateStore GateStore { get; } = new(new NanoAgent.VirtualSe.Gate.InMemoryGateStore());

    public VirtualClock Clock { get; } = new();

    public InMemoryBroker Broker { get; } = new();

    public FakeWatchdog Watchdog { get; } = new();

    public ListLog Log { get; } = new();

    public string Config { get; set; }

    public string KeyText { get; }

    /// <summary>Gets or sets the relay store the next <see cref="Start"/> hands the runtime (default: a new in-memory store).</summary>
    public IRelayStore? RelayStore { get; set; }

    public Meter Sensor { get; } = new();

    public AgentRuntime Start()
    {
        var platform = new AgentPlatform
        {
            Link = Se.Link,
            Protocol = new Se05xTransportFactory(null),
            Clock = Clock,
            Random = CryptoRandomSource.Instance,
            Ciphers = BouncyCastleAesFactory.Instance,
            Mqtt = new BrokerFactory(Broker),
            Store = RelayStore ?? new InMemoryRelayStore(4),
            Watchdog = Watchdog,
            Log = Log,
            PlatformKeyText = KeyText,
        };
        platform.AddSensor("meter", Sensor);
        return AgentRuntime.Start(AgentConfigParser.Parse(Config), platform);
    }

    /// <summary>Steps the runtime, moving the virtual clock by <paramref name="ms"/> before each step.</summary>
    public void Run(AgentRuntime runtime, int steps, int ms)
    {
        for (int i = 0; i < steps; i++)
        {
            Clock.Sleep(ms);
            runtime.Step();
        }
    }

    // The ISD installs SSD A with its own keys; acme's session installs and keys its gate (docs/gating.md §Keying).
    // Straight on the card manager, behind the platform SCP03 gate: this is the factory, not the agent.
    private void Provision()
    {
        var host = new CardHost(Se.Card);
        Scp03StaticKeys initial = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0xFF, CardState.InitialKey);
        byte[] fill = Enumerable.Range(0, 16).Select(i => (byte)(0x30 + i)).ToArray();
        Scp03StaticKeys ssdKeys = new(BouncyCastleAesFactory.Instance, 0x01, fill, fill, fill);
        byte[] ssd = Hex.Parse(SsdA), gate = Hex.Parse(GateA);
        host.Open(CardState.DefaultIsdAid, initial);
        host.Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
            CardState.SampleLoadFileAid, CardState.SampleModuleAid, ssd, GpInstall.SecurityDomainWithAuthorizedManagement(), [], b, 0));
        host.Secure(b => GpInstall.BuildForPersonalization(ssd, 0, ssd.Length, b, 0));
        host.Secure(b => GpPutKey.Build(ssdKeys, initial, 0x00, b, 0));
        byte[] request = RelayRig.RequestKey("acme");
        host.Secure(b => GpPutKey.Build(new Scp03StaticKeys(BouncyCastleAesFactory.Instance, RelayRig.RequestKeyVersion, request, request, request), initial, 0x00, b, 0));
        host.Open(ssd, ssdKeys);
        host.Secure(b => GpInstall.BuildForInstallAndMakeSelectable(CardState.SampleLoadFileAid, CardState.SampleModuleAid, gate, [0x00], [], b, 0));
        host.Secure(b => GpInstall.BuildForPersonalization(gate, 0, gate.Length, b, 0));
        byte[] tlv = [0x81, 0x10, .. fill, 0x82, 0x01, 0x01];
        Assert.Equal("9000", host.Secure(b => GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tlv, 0, tlv.Length, b, 0)));
    }

    internal sealed class FakeWatchdog : IWatchdog
    {
        public int Feeds { get; private set; }

        public void Feed() => Feeds++;
    }

    internal sealed class ListLog : IAgentLog
    {
        public List<string> Lines { get; } = [];

        public void Line(string line) => Lines.Add(line);

        public bool Has(string part) => Lines.Any(l => l.Contains(part, StringComparison.Ordinal));
    }

    private sealed class BrokerFactory(InMemoryBroker broker) : IMqttConnectionFactory
    {
        public IMqttConnection Create() => broker.NewClient();
    }

    internal sealed class Meter : ISensor
    {
        private long _count;

        /// <summary>Gets or sets a value indicating whether the driver throws (a broken sensor: a bug the loop must survive).</summary>
        public bool Broken { get; set; }

        public Reading Read() => Broken
            ? throw new InvalidOperationException("sensor bus stuck")
            : new("kWh", 1_700_000_000_000 + _count, BitConverter.GetBytes(++_count).Reverse().ToArray());
    }

    /// <summary>A GP host talking straight to the card manager (SCP03 at level 33).</summary>
    private sealed class CardHost(NanoAgent.VirtualSe.Card.CardManager card) : IApduTransport
    {
        private readonly byte[] _apdu = new byte[300], _wire = new byte[300], _rsp = new byte[70000];
        private Scp03HostSession? _session;

        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset) =>
            card.Process(command.AsSpan(commandOffset, commandCount), response.AsSpan(responseOffset));

        public void Open(byte[] sd, Scp03StaticKeys keys)
        {
            var channel = new ApduChannel(this);
            byte[] select = Hex.Parse("00A40400" + sd.Length.ToString("X2") + Hex.Of(sd) + "00");
            channel.Transmit(select, 0, select.Length, _rsp, 0);
            _session = new Scp03HostSession(keys, 8);
            int n = _session.BuildInitializeUpdate(new byte[8], 0, _apdu, 0);
            int r = channel.Transmit(_apdu, 0, n, _rsp, 0);
            _session.ProcessInitializeUpdateResponse(_rsp, 0, r);
            n = _session.BuildExternalAuthenticate(0x33, _apdu, 0);
            r = channel.Transmit(_apdu, 0, n, _rsp, 0);
            _session.ProcessExternalAuthenticateResponse(_rsp, 0, r);
        }

        public string Secure(Func<byte[], int> build)
        {
            var channel = new ApduChannel(this);
            int n = build(_apdu);
            int w = _session!.Wrap(_apdu, 0, n, _wire, 0);
            int r = channel.Transmit(_wire, 0, w, _rsp, 0);
            return Hex.Of(_rsp, 0, _session.Unwrap(_rsp, 0, r, _rsp, 0));
        }
    }
}
