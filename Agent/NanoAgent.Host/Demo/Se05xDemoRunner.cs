using System.Security.Cryptography;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Demo;

/// <summary>
/// <c>nanoagent demo --card se05x</c>: the demo's story on a virtual NXP SE05x with its IoT applet alone (docs/se05x.md):
/// the owner's bench set-up, the owner creating both tenants' authentication objects and request keys in its applet session,
/// each tenant setting up its gate objects and taking its object over in its own session, a recorded session replayed and
/// refused by the SE, beta refused by the agent and by acme's object policies, the broker attacks, a reading MAC'd in the
/// SE and verified, an attested read of the sensor behind the SE, and an actuator driven once.
/// </summary>
public sealed class Se05xDemoRunner
{
    private const string Device = "meter-001";
    private const uint Owner = 0x7A000000;
    private const uint Acme = 0x7A0A0000;
    private const uint Beta = 0x7A0B0000;

    private readonly DemoStory _story;
    private readonly string _dir;
    private readonly List<BackendLink> _links = [];
    private DemoBrokerUsers? _users;

    /// <summary>Creates the demo.</summary>
    /// <param name="output">Where the story is told.</param>
    /// <param name="workDir">Folder for the SE state, keys and stores (created; left in place for inspection).</param>
    public Se05xDemoRunner(TextWriter output, string workDir)
    {
        _story = new DemoStory(output);
        _dir = workDir;
        Directory.CreateDirectory(workDir);
    }

    /// <summary>Gets the summary rows.</summary>
    public IReadOnlyList<DemoCheck> Checks => _story.Checks;

    /// <summary>Runs the demo.</summary>
    /// <returns>0 when every check came out as expected, 1 otherwise.</returns>
    public int Run()
    {
        try
        {
            return RunAll();
        }
        finally
        {
            _links.ForEach(link => link.Dispose());
            _links.Clear();
        }
    }

    private int RunAll()
    {
        Keys owner = NewKeys("owner"), acme = NewKeys("acme"), beta = NewKeys("beta");
        byte[] acmeOwn = Secret("acme-own-auth-key.json", 0x01), betaOwn = Secret("beta-own-auth-key.json", 0x01);
        byte[] acmeReading = Secret("acme-reading.key", 0), acmeCommand = Secret("acme-command.key", 0);
        byte[] betaReading = Secret("beta-reading.key", 0), betaCommand = Secret("beta-command.key", 0);

        _story.Section("0. Set-up on the bench: the owner puts its authentication object and request key into the SE05x over the local link");
        ushort bootstrap = Se05xOwnerBootstrap.PutOwner(File("virtual-se.json"), Owner, owner.Auth, owner.Request);
        _story.Checks.Add(new DemoCheck("owner", "create its auth object and request key (local link)", "9000", $"{bootstrap:X4}", bootstrap == 0x9000));

        _story.Section("Start: embedded MQTT broker (a user per tenant, topic rules), virtual SE05x (IoT applet only, platform SCP03 on), nanoAgent");
        var tenants = TenantRegistry.Parse($"owner se05x {Owner:X8}\nacme se05x {Acme:X8}\nbeta se05x {Beta:X8}\n");
        _users = new DemoBrokerUsers(Device, tenants);
        using AgentHost agent = AgentHost.Start(
            new AgentHostOptions
            {
                Target = new SeTarget { StatePath = File("virtual-se.json"), Card = "se05x" },
                Tenants = tenants,
                StorePath = File("relay-store.json"),
                NewStore = true,
                PlatformKeyFile = File("platform-keys.json"),
                EmbeddedBrokerPort = 0,
                BrokerAccess = _users.Policy,
                UserName = Device,
                Password = _users.Password(Device),
                DeviceId = Device,
                OwnerTenant = "owner",
                GateCard = GateCard.Se05x,
                Gates = new Dictionary<string, byte[]> { ["acme"] = Se05xScripts.GateLabelAcme, ["beta"] = Se05xScripts.GateLabelBeta },
                GateAuthObjects = new Dictionary<string, uint> { ["acme"] = Acme, ["beta"] = Beta },
            },
            new PrefixWriter(_story.Output, "  agent | "));

        _story.Section("1. The device owner, in its own applet session, creates each tenant's authentication object and first request key");
        _story.Check("owner", "create acme's and beta's auth objects (SCP03 via relay)", "all steps 9000",
            Backend(agent, "owner", owner.Auth, owner.Request).RunInteractive(Se05xScripts.OwnerCreatesTenants((Acme, acme.Auth, acme.Request), (Beta, beta.Auth, beta.Request))));

        _story.Section("2. Each tenant, in its own applet session, creates its gate objects and takes its auth object over from the owner");
        BackendReport acmeSetUp = Backend(agent, "acme", acme.Auth, acme.Request).RunInteractive(Se05xScripts.TenantSetsUp(Acme, acmeReading, acmeCommand, acmeOwn, "acme-setup.apdu"));
        _story.Check("acme", "gate objects + take-over (interactive SCP03)", "all steps 9000", acmeSetUp);
        _story.Check("beta", "gate objects + take-over (interactive SCP03)", "all steps 9000",
            Backend(agent, "beta", beta.Auth, beta.Request).RunInteractive(Se05xScripts.TenantSetsUp(Beta, betaReading, betaCommand, betaOwn, "beta-setup.apdu")));
        _story.Output.WriteLine("-- the owner tries acme's first key, which it chose and knows");
        BackendReport stale = Backend(agent, "acme", acme.Auth, acme.Request).RunInteractive(Se05xScripts.TenantStoresData(Acme, "acme-stale.apdu"));
        _story.Checks.Add(new DemoCheck("owner", "open acme's session with the first key", "refused by the SE", DemoStory.Outcome(stale), !stale.Succeeded));

        _story.Section("3. acme runs a session; an attacker who recorded it (and stole acme's request key) replays it in a new one");
        TenantBackend acmeBackend = Backend(agent, "acme", acmeOwn, acme.Request);
        _story.Check("acme", "write and read its data file (interactive SCP03)", "all steps 9000", acmeBackend.RunInteractive(Se05xScripts.TenantStoresData(Acme, "acme-data.apdu")));
        BackendReport replay = acmeBackend.ReplayInteractive([.. acmeBackend.LastSession]);
        _story.Checks.Add(new DemoCheck("attacker", "replay acme's recorded session", "refused by the SE", DemoStory.Outcome(replay), !replay.Succeeded));

        _story.Section("4. beta tries to reach acme's objects");
        _story.Output.WriteLine("-- beta: ask, inside its own session, for a session with acme's authentication object");
        BackendReport open = Backend(agent, "beta", betaOwn, beta.Request).RunInteractive(Se05xScripts.OpenOthersSession(Acme, "beta-open.apdu"));
        _story.Checks.Add(new DemoCheck("beta", "open a session with acme's auth object", "refused by the agent", DemoStory.Outcome(open), !open.Succeeded));
        _story.Output.WriteLine("-- beta: delete acme's reading key, inside beta's own authenticated session");
        BackendReport delete = Backend(agent, "beta", betaOwn, beta.Request).RunInteractive(Se05xScripts.DeleteOthersKey(Acme, "beta-delete.apdu"));
        _story.Checks.Add(new DemoCheck("beta", "delete acme's reading key from its own session", "refused by the SE", DemoStory.Outcome(delete), !delete.Succeeded && delete.Steps.Exists(s => s.Sw == 0x6986)));
        _story.OtherTenantsTopics(agent, Device, _users.Password("beta"));

        _story.Section("5. An attacker with beta's broker login (stolen, so the broker's topic rules let it in) but no key goes after beta; acme tries with its own key");
        new DemoAttacks(agent, Device, _users.Password("beta"), _story, _links).Run(
            Backend(agent, "beta", betaOwn, beta.Request), Tenant.AppletAid(), 0, RequestKeys(acme.Request), Se05xScripts.TenantStoresData(Beta, "beta-data.apdu"));

        _story.Section("6. Gated data on the SE05x: readings MAC'd by the IoT applet, a sensor read and signed by the SE itself, an actuator command verified by it");
        new Se05xDemoGating(agent, Device, _users.Password("acme"), _story, File).Run(acmeReading, acmeCommand, betaCommand, AttestationKey(acmeSetUp));

        _story.Section("Summary");
        _story.PrintSummary();
        _story.Output.WriteLine($"(state, keys and stores are in {_dir})");
        return _story.ExitCode;
    }

    // The public part of acme's attestation key, as its own session read it back (ReadObject: TLV[TAG_1] 04 || X || Y).
    private static byte[]? AttestationKey(BackendReport setUp)
    {
        byte[]? data = setUp.Steps.Find(s => s.Command.Length > 1 && s.Command[1] == 0x02)?.Data;
        return data is { Length: >= 67 } && data[0] == 0x41 ? data[^65..] : null;
    }

    private TenantBackend Backend(AgentHost agent, string tenant, byte[] authKey, byte[] requestKey)
    {
        BackendLink link = BackendLink.Connect(agent.BrokerAddress, tenant, _users!.Password(tenant), Device, tenant);
        _links.Add(link);
        var options = new BackendOptions
        {
            Device = Device, Tenant = tenant, Sd = Tenant.AppletAid(), Timeout = TimeSpan.FromSeconds(20), RequestKeys = RequestKeys(requestKey), Se05xAuthKey = authKey,
        };
        return new TenantBackend(link, options, Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x00, authKey), BackendState.Load(File($"backend-{tenant}.json")), new PrefixWriter(_story.Output, $"  {tenant} | "));
    }

    private static Scp03StaticKeys RequestKeys(byte[] key) => Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x60, key);

    private Keys NewKeys(string tenant) => new(Secret($"{tenant}-auth-key.json", 0x01), Secret($"{tenant}-request-key.json", 0x60));

    // A random 16-byte key, written next to the state as the backends' key files would hold it (mode 600).
    private byte[] Secret(string name, byte keyVersion)
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        if (keyVersion == 0)
        {
            GateKeyFile.Write(File(name), key);
        }
        else
        {
            TenantKeyFile.WriteSingleKey(File(name), keyVersion, key);
        }

        return key;
    }

    private string File(string name) => Path.Combine(_dir, name);

    private sealed record Keys(byte[] Auth, byte[] Request);
}
