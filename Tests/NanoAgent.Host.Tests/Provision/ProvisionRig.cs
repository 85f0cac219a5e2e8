using NanoAgent.Host.Demo;
using System.Security.Cryptography;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Provision;
using NanoAgent.Host.Se;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Provision;

/// <summary>
/// The virtual rig: an <see cref="AgentHost"/> (virtual SE with platform SCP03, file relay store, embedded broker) for device
/// "meter-001" with tenants owner (ISD, channel 0), acme (channel 1) and beta (channel 2), and a signed bundle of
/// pre-computed SCP03 scripts: the owner creates both SSDs (PUT KEY of each tenant's keys) and reads the CPLC in plain,
/// then each tenant stores and reads back a data object in its own session. Each backend only ever sees its own keys.
/// </summary>
internal sealed class ProvisionRig : IDisposable
{
    public const string Device = "meter-001";
    public static readonly byte[] SsdAcme = Hex.Parse("A0000001515350410A");
    public static readonly byte[] SsdBeta = Hex.Parse("A0000001515350410B");

    public ProvisionRig()
    {
        OwnerRequestKeys = new Scp03StaticKeys(BouncyCastleAesFactory.Instance, 0x60, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));
        Assert.Equal(0x9000, DemoBootstrap.PutOwnerRequestKey(Dir.File("virtual-se.json"), Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, CardState.InitialKeyVersion, CardState.InitialKey), OwnerRequestKeys));
        var tenants = TenantRegistry.Parse($"owner {Hex.Of(CardState.DefaultIsdAid)} 0\nacme {Hex.Of(SsdAcme)} 1\nbeta {Hex.Of(SsdBeta)} 2\n");
        Agent = AgentHost.Start(
            new AgentHostOptions
            {
                Target = new SeTarget { StatePath = Dir.File("virtual-se.json") }, Tenants = tenants, StorePath = Dir.File("relay-store.json"), NewStore = true,
                PlatformKeyFile = Dir.File("platform-keys.json"), EmbeddedBrokerPort = 0, DeviceId = Device, ReconnectMinDelayMilliseconds = 100,
            },
            AgentLog);
        using (ECDsa issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(Dir.File("issuer.pub.pem"), issuer.ExportSubjectPublicKeyInfoPem());
            Bundle = BuildBundle(issuer);
        }

        File.WriteAllText(BundlePath, Bundle.ToJson());
    }

    public TempDir Dir { get; } = new();

    /// <summary>Gets the owner's request key set, put into the ISD over the local link before the agent started.</summary>
    public Scp03StaticKeys OwnerRequestKeys { get; }

    public StringWriter AgentLog { get; } = new();

    public AgentHost Agent { get; }

    public ProvisionBundle Bundle { get; }

    public string BundlePath => Dir.File("bundle.json");

    public string IssuerKeyPath => Dir.File("issuer.pub.pem");

    public CardState Card => Agent.Se.Virtual!.Card.State;

    /// <summary>Gets the SD's SCP03 sequence counter: each INITIALIZE UPDATE moves it by one, so it counts sessions run.</summary>
    public int Sessions(byte[] sd) => Card.Find(sd)?.Domain?.SequenceCounter ?? -1;

    public string[] Args(params string[] more) =>
    [
        "provision", "--device", Device, "--bundle", BundlePath, "--broker", $"mqtt://127.0.0.1:{Agent.BrokerAddress.Port}",
        "--issuer-key", IssuerKeyPath, "--journal", Dir.File("journal.jsonl"), "--receipt", Dir.File("receipt.json"), "--timeout", "30", .. more,
    ];

    public ProvisionOptions Options(TimeSpan? resendAfter = null) => new()
    {
        Device = Device, Broker = Agent.BrokerAddress, JournalPath = Dir.File("journal.jsonl"), ReceiptPath = Dir.File("receipt.json"),
        ItemTimeout = TimeSpan.FromSeconds(30), ResendAfter = resendAfter ?? TimeSpan.FromSeconds(3), ReconnectMinDelayMilliseconds = 100,
    };

    public void Dispose()
    {
        Agent.Dispose();
        Dir.Dispose();
    }

    private ProvisionBundle BuildBundle(ECDsa issuer)
    {
        var factory = BouncyCastleAesFactory.Instance;
        var owner = Scp03StaticKeys.FromSingleKey(factory, CardState.InitialKeyVersion, CardState.InitialKey);
        var acme = new Scp03StaticKeys(factory, 0x30, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));
        var beta = new Scp03StaticKeys(factory, 0x30, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));
        Scp03StaticKeys acmeRequest = RequestKeySet(), betaRequest = RequestKeySet();
        byte[] isd = CardState.DefaultIsdAid;

        // The owner's backend: one pre-computed ISD session creating both SSDs, then a plain GET DATA CPLC for the receipt.
        byte[] ownerScript = Plan("owner", isd, 0, owner, Sessions(isd) + 1, DemoScripts.OwnerCreatesDomains(owner, (SsdAcme, acme, acmeRequest), (SsdBeta, beta, betaRequest)), 1, OwnerRequestKeys);
        byte[] cplc = RequestSigner.FromKeySet(OwnerRequestKeys, Device, "owner").Sign(new ScriptRequest
        {
            ScriptId = Guid.NewGuid().ToByteArray(), TenantId = "owner", Counter = 2, TargetAid = isd, ProgressEvery = 1,
            Steps = [new ScriptStep(Hex.Parse("80CA9F7F00"), 0x9000, 0xFFFF, false, true)],
        });

        return new BundleBuilder()
            .Add(ownerScript)
            .Add(cplc)
            .Add(Plan("acme", SsdAcme, 1, acme, 1, DemoScripts.TenantStoresData(SsdAcme, "acme.apdu"), 1, acmeRequest))
            .Add(Plan("beta", SsdBeta, 2, beta, 1, DemoScripts.TenantStoresData(SsdBeta, "beta.apdu"), 1, betaRequest))
            .Sign("field-2024-001", Device, issuer);
    }

    /// <summary>A tenant's backend, offline: pre-computes its SCP03 session for the SD's next counter and encodes the request.</summary>
    private byte[] Plan(string tenant, byte[] sd, int channel, Scp03StaticKeys keys, int sequenceCounter, ScriptFile script, ulong tenantCounter, Scp03StaticKeys requestKeys)
    {
        var options = new BackendOptions { Device = Device, Tenant = tenant, Sd = sd, Channel = channel, SequenceCounter = sequenceCounter, ProgressEvery = 1, RequestKeys = requestKeys };
        var backend = new TenantBackend(null, options, keys, BackendState.Load(Dir.File($"backend-{tenant}.json")), TextWriter.Null);
        BatchPlan plan = backend.PrepareBatch(script);
        return backend.Encode(plan.Issue(tenantCounter));
    }

    private static Scp03StaticKeys RequestKeySet() =>
        new(BouncyCastleAesFactory.Instance, 0x60, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));
}
