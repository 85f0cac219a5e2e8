using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.T1;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Tests.Agent;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>
/// The device side, in process: embedded broker (or a <see cref="TestBroker"/> the test restarts), the portable agent
/// (ScriptRelay + AgentService + InMemoryRelayStore) on its own worker thread over a reconnecting MQTT connection, and a
/// virtual card manager where the ISD installed an SSD for tenant "acme" with known keys.
/// </summary>
internal sealed class AgentRig : IDisposable
{
    public const string Device = "dev1";
    public const string Tenant = "acme";
    public static readonly byte[] Ssd = Hex.Parse("A0000001515350410A");

    private readonly ReconnectingMqttConnection _agentMqtt;
    private readonly EmbeddedBroker? _embedded;
    private readonly AgentService _service;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _worker;
    private int _reannounce;

    /// <param name="channel">The tenant's logical channel.</param>
    /// <param name="broker">A broker the test restarts (instead of the rig's embedded one), or null.</param>
    /// <param name="store">The relay store, or null for an in-memory one.</param>
    /// <param name="agentBroker">Another broker for the agent only (the rig's broker still runs), or null.</param>
    /// <param name="agentLogin">The agent's login at <paramref name="agentBroker"/>: TLS settings and connect options.</param>
    public AgentRig(int channel = 0, TestBroker? broker = null, IRelayStore? store = null, MqttBrokerAddress? agentBroker = null,
        (MqttNetSettings Settings, MqttConnectOptions Options)? agentLogin = null)
    {
        Card = new CardManager(CardState.CreateFresh());
        Transport = new CountingTransport(Card);
        VerifierTransport = new CountingTransport(Card);
        ProvisionTenant();
        if (broker is null)
        {
            _embedded = new EmbeddedBroker(0);
            _embedded.Start();
        }

        BrokerAddress = broker?.Address ?? _embedded!.Address;
        var tenants = TenantRegistry.Parse($"{Tenant} {Hex.Of(Ssd)} {channel} 16384");
        var relay = new ScriptRelay(tenants, store ?? new InMemoryRelayStore(), Transport, new VirtualClock(), null, new SeRequestVerifier(VerifierTransport, Device, 255));
        _agentMqtt = new ReconnectingMqttConnection(new MqttNetConnection(agentBroker ?? BrokerAddress, agentLogin?.Settings), SystemClock.Instance, new ReconnectOptions { MinDelayMilliseconds = 200, MaxDelayMilliseconds = 1000 }, ownsInner: true);
        _service = new AgentService(_agentMqtt, tenants, relay, Device);
        _agentMqtt.MessageReceived += (_, _) => _wake.Release();
        _agentMqtt.Reconnected += (_, _) => Volatile.Write(ref _reannounce, 1);
        _service.Start(agentLogin?.Options ?? new MqttConnectOptions { ClientId = "agent-" + Device, CleanSession = true });
        _worker = new Thread(Work) { IsBackground = true, Name = "agent" };
        _worker.Start();
    }

    /// <summary>Gets the tenant's keys (KVN 01), installed on the SSD by the ISD.</summary>
    public static Scp03StaticKeys Keys { get; } = MakeKeys(0x01, 0x10);

    public CardManager Card { get; }

    public CountingTransport Transport { get; }

    /// <summary>Gets the request verifier's link to the same card (counted apart, so <see cref="Transport"/> counts steps).</summary>
    public CountingTransport VerifierTransport { get; }

    /// <summary>Gets the tenant's request key set (KVN 60), put on the SSD by the ISD at onboarding.</summary>
    public static Scp03StaticKeys RequestKeys { get; } = MakeKeys(0x60, 0x50);

    public MqttBrokerAddress BrokerAddress { get; }

    public string BrokerUrl => $"mqtt://127.0.0.1:{BrokerAddress.Port}";

    public int SequenceCounter => Card.State.Find(Ssd)!.Domain!.SequenceCounter;

    public static Scp03StaticKeys MakeKeys(byte kvn, byte seed) =>
        new(BouncyCastleAesFactory.Instance, kvn, Fill(seed), Fill((byte)(seed + 1)), Fill((byte)(seed + 2)));

    /// <summary>Writes a key file in the platform key store format, mode 600.</summary>
    public static void WriteKeys(string path, byte kvn, byte seed)
    {
        File.WriteAllText(path, $"{{\n  \"kvn\": \"{kvn:X2}\",\n  \"enc\": \"{Hex.Of(Fill(seed))}\",\n  \"mac\": \"{Hex.Of(Fill((byte)(seed + 1)))}\",\n  \"dek\": \"{Hex.Of(Fill((byte)(seed + 2)))}\"\n}}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public BackendLink Link() => BackendLink.Connect(BrokerAddress, null, null, Device, Tenant);

    public void Dispose()
    {
        _stop.Cancel();
        _worker.Join(TimeSpan.FromSeconds(5));
        _service.Stop();
        _agentMqtt.Dispose();
        _embedded?.Dispose();
    }

    private static byte[] Fill(byte seed)
    {
        byte[] key = new byte[16];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)((seed * 17) + i);
        }

        return key;
    }

    private void Work()
    {
        try
        {
            while (true)
            {
                _wake.Wait(TimeSpan.FromMilliseconds(200), _stop.Token);
                if (Interlocked.Exchange(ref _reannounce, 0) == 1)
                {
                    try
                    {
                        _service.Reconnect(); // "online" again and the outbox flushed, as AgentHost does
                    }
                    catch (MqttConnectionException)
                    {
                        Volatile.Write(ref _reannounce, 1);
                    }
                }

                _service.ProcessInbound();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>ISD session at level 33: INSTALL the SSD, INSTALL [for personalization], PUT KEY the tenant's key set and its request key set.</summary>
    private void ProvisionTenant()
    {
        var channel = new ApduChannel(Transport);
        byte[] apdu = new byte[300], wire = new byte[300], rsp = new byte[4096];
        int Send(byte[] b, int n) => channel.Transmit(b, 0, n, rsp, 0);
        byte[] isd = CardState.DefaultIsdAid;
        Send(apdu, GpSelect.Build(isd, 0, isd.Length, apdu, 0));
        var initial = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, CardState.InitialKeyVersion, CardState.InitialKey);
        var session = new Scp03HostSession(initial, 8);
        int r = Send(apdu, session.BuildInitializeUpdate(new byte[8], 0, apdu, 0));
        session.ProcessInitializeUpdateResponse(rsp, 0, r);
        r = Send(apdu, session.BuildExternalAuthenticate(0x33, apdu, 0));
        session.ProcessExternalAuthenticateResponse(rsp, 0, r);
        string Secure(int n)
        {
            int w = session.Wrap(apdu, 0, n, wire, 0);
            int got = channel.Transmit(wire, 0, w, rsp, 0);
            return Hex.Of(rsp, 0, session.Unwrap(rsp, 0, got, rsp, 0));
        }

        Assert.Equal("009000", Secure(GpInstall.BuildForInstallAndMakeSelectable(
            CardState.SampleLoadFileAid, CardState.SampleModuleAid, Ssd, GpInstall.SecurityDomainWithAuthorizedManagement(), [], apdu, 0)));
        Assert.Equal("009000", Secure(GpInstall.BuildForPersonalization(Ssd, 0, Ssd.Length, apdu, 0)));
        Assert.EndsWith("9000", Secure(GpPutKey.Build(Keys, initial, 0x00, apdu, 0)));
        Assert.EndsWith("9000", Secure(GpPutKey.Build(RequestKeys, initial, 0x00, apdu, 0)));
    }

    /// <summary>The agent's SE link: a card manager, serialised, counting the commands that reach it.</summary>
    internal sealed class CountingTransport(CardManager card) : IApduTransport
    {
        private readonly object _gate = new();

        public int Commands { get; private set; }

        /// <summary>Gets or sets the command (1-based count) held before the card runs it, until <see cref="Release"/>; -1 for none.</summary>
        public int HoldAt { get; set; } = -1;

        public ManualResetEventSlim Held { get; } = new();

        /// <summary>Gets or sets the command (1-based count) after which the link breaks: the card ran it, the answer is lost.</summary>
        public int BreakAt { get; set; } = -1;

        public ManualResetEventSlim Release { get; } = new();

        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            lock (_gate)
            {
                Commands++;
                if (Commands == HoldAt)
                {
                    Held.Set();
                    Release.Wait(TimeSpan.FromSeconds(30));
                }

                int n = card.Process(command.AsSpan(commandOffset, commandCount), response.AsSpan(responseOffset));
                if (Commands == BreakAt)
                {
                    throw new BlockProtocolException(BlockProtocolError.Timeout, "simulated SE link loss");
                }

                return n;
            }
        }
    }
}
