using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Se;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>
/// An <see cref="AgentHost"/> with an embedded broker, the virtual SE (platform SCP03 off) and gating on for tenant "acme":
/// the ISD creates acme's SSD, acme installs its gate instance and keys it in its own SCP03 session (level 33, C-DEC), as
/// in docs/gating.md. A meter "energy" is subscribed for acme and a <see cref="RecordingRelay"/> "relay" belongs to acme.
/// </summary>
internal sealed class GatedAgentFixture : IDisposable
{
    public const string Device = "meter-9";
    public const string Tenant = "acme";
    public static readonly byte[] Ssd = Hex.Parse("A0000001515350410A");
    public static readonly byte[] GateAid = Hex.Parse("F06E616E6F47410A");
    public static readonly byte[] MacKey = Hex.Parse("00112233445566778899AABBCCDDEEFF");

    private readonly byte[] _apdu = new byte[300];
    private readonly byte[] _wire = new byte[300];
    private readonly byte[] _rsp = new byte[70000];
    private ApduChannel _channel = null!;
    private Scp03HostSession? _session;

    public GatedAgentFixture(TempDir dir, MqttBrokerAddress? broker = null, Func<IActuator, IActuator>? wrapRelay = null, TextWriter? log = null)
    {
        Dir = dir;
        Agent = AgentHost.Start(
            new AgentHostOptions
            {
                Target = new SeTarget { StatePath = dir.File("virtual-se.json") },
                Tenants = TenantRegistry.Parse($"{Tenant} {Hex.Of(Ssd)} 1\n"),
                StorePath = dir.File("relay-store.json"),
                NewStore = true,
                DisablePlatformScp = true,
                Broker = broker,
                EmbeddedBrokerPort = broker is null ? 0 : null,
                DeviceId = Device,
                Gates = new Dictionary<string, byte[]> { [Tenant] = GateAid },
            },
            log ?? TextWriter.Null);
        Provision(Agent.ApduTransport);
        Agent.Gating!.Publisher.AddSensor("energy", new SimulatedMeter(MeterQuantity.Energy, 7, () => 1_795_445_597_000));
        Agent.Gating.Publisher.Subscribe(Tenant, "energy");
        Agent.Gating.Commands.AddActuator("relay", Tenant, wrapRelay is null ? Relay : wrapRelay(Relay));
        Agent.Gating.Commands.Start();
        GateKeyFile.Write(KeyFile, MacKey);
    }

    public TempDir Dir { get; }

    public AgentHost Agent { get; }

    public RecordingRelay Relay { get; } = new();

    public string BrokerUrl => $"mqtt://127.0.0.1:{Agent.BrokerAddress.Port}";

    public string KeyFile => Dir.File("acme-gate.key");

    /// <summary>Runs the CLI on a worker thread and publishes a reading every 100 ms until it exits (the watcher must be
    /// subscribed before it can see one; readings it misses are simply not counted).</summary>
    public CliRun WatchWhilePublishing(params string[] args) => RunWhileRepeating(() => Agent.Gating!.PublishReadings(), args);

    /// <summary>Runs the CLI on a worker thread and calls <paramref name="tick"/> every 100 ms until it exits.</summary>
    public static CliRun RunWhileRepeating(Action tick, params string[] args)
    {
        var run = Task.Run(() => CliRun.Of(args));
        while (!run.Wait(100))
        {
            tick();
        }

        return run.Result;
    }

    public void Dispose() => Agent.Dispose();

    private static Scp03StaticKeys Keys(byte seed)
    {
        byte[] Fill(int s) => Enumerable.Range(0, 16).Select(i => (byte)(s * 17 + i)).ToArray();
        return new Scp03StaticKeys(BouncyCastleAesFactory.Instance, 0x01, Fill(seed), Fill(seed + 1), Fill(seed + 2));
    }

    private void Provision(IApduTransport transport)
    {
        _channel = new ApduChannel(transport);
        Scp03StaticKeys ssdKeys = Keys(0x10);
        Scp03StaticKeys initial = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, CardState.InitialKeyVersion, CardState.InitialKey);
        Open(CardState.DefaultIsdAid, initial);
        Assert.EndsWith("9000", Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
            CardState.SampleLoadFileAid, CardState.SampleModuleAid, Ssd, GpInstall.SecurityDomainWithAuthorizedManagement(), [], b, 0)));
        Assert.EndsWith("9000", Secure(b => GpInstall.BuildForPersonalization(Ssd, 0, Ssd.Length, b, 0)));
        Assert.EndsWith("9000", Secure(b => GpPutKey.Build(ssdKeys, initial, 0x00, b, 0)));
        Open(Ssd, ssdKeys);
        Assert.EndsWith("9000", Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
            CardState.SampleLoadFileAid, CardState.SampleModuleAid, GateAid, [0x00], [], b, 0)));
        Assert.EndsWith("9000", Secure(b => GpInstall.BuildForPersonalization(GateAid, 0, GateAid.Length, b, 0)));
        byte[] tlv = [0x81, 0x10, .. MacKey];
        Assert.Equal("9000", Secure(b => GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tlv, 0, tlv.Length, b, 0)));
    }

    private void Open(byte[] sd, Scp03StaticKeys keys)
    {
        byte[] select = Hex.Parse("00A40400" + sd.Length.ToString("X2") + Hex.Of(sd) + "00");
        _channel.Transmit(select, 0, select.Length, _rsp, 0);
        _session = new Scp03HostSession(keys, 8);
        int n = _session.BuildInitializeUpdate(Hex.Parse("0102030405060708"), 0, _apdu, 0);
        _session.ProcessInitializeUpdateResponse(_rsp, 0, _channel.Transmit(_apdu, 0, n, _rsp, 0));
        n = _session.BuildExternalAuthenticate(0x33, _apdu, 0);
        _session.ProcessExternalAuthenticateResponse(_rsp, 0, _channel.Transmit(_apdu, 0, n, _rsp, 0));
    }

    private string Secure(Func<byte[], int> build)
    {
        int n = build(_apdu);
        int w = _session!.Wrap(_apdu, 0, n, _wire, 0);
        int r = _channel.Transmit(_wire, 0, w, _rsp, 0);
        return Hex.Of(_rsp, 0, _session.Unwrap(_rsp, 0, r, _rsp, 0));
    }
}
