using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Se;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Demo;

/// <summary>
/// The whole system on one PC: embedded broker, virtual SE (platform SCP03 on the bus), the agent, the device owner and two
/// tenants' backends. Each tenant gets its own security domain and gate, runs SCP03 scripts through the relay, cannot touch
/// the other's domain, and sends gated readings and actuator commands. Ends with a summary table.
/// </summary>
public sealed class DemoRunner
{
    internal const string Device = "meter-001";
    internal static readonly byte[] SsdAcme = Convert.FromHexString("A0000001515350410A");
    internal static readonly byte[] SsdBeta = Convert.FromHexString("A0000001515350410B");
    internal static readonly byte[] GateAcme = Convert.FromHexString("F06E616E6F47410A");
    internal static readonly byte[] GateBeta = Convert.FromHexString("F06E616E6F47410B");

    private readonly DemoStory _story;
    private readonly string _dir;
    private readonly List<BackendLink> _links = [];
    private DemoBrokerUsers? _users;

    /// <summary>Creates the demo.</summary>
    /// <param name="output">Where the story is told.</param>
    /// <param name="workDir">Folder for the SE state, keys, stores and counters (created; left in place for inspection).</param>
    public DemoRunner(TextWriter output, string workDir)
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
        var factory = BouncyCastleAesFactory.Instance;
        Scp03StaticKeys owner = PlatformKeyStore.CreateRandom(File("owner-keys.json"), factory, keyVersion: 0x01);
        Scp03StaticKeys acmeKeys = PlatformKeyStore.CreateRandom(File("acme-keys.json"), factory, keyVersion: 0x30);
        Scp03StaticKeys betaKeys = PlatformKeyStore.CreateRandom(File("beta-keys.json"), factory, keyVersion: 0x30);
        Scp03StaticKeys ownerRequest = PlatformKeyStore.CreateRandom(File("owner-request-key.json"), factory, keyVersion: RequestKey.FirstKeyVersion);
        Scp03StaticKeys acmeRequest = PlatformKeyStore.CreateRandom(File("acme-request-key.json"), factory, keyVersion: RequestKey.FirstKeyVersion);
        Scp03StaticKeys betaRequest = PlatformKeyStore.CreateRandom(File("beta-request-key.json"), factory, keyVersion: RequestKey.FirstKeyVersion);
        byte[] acmeGateKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        byte[] betaGateKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);

        _story.Section("0. Set-up on the bench: the owner puts its request key into the ISD over the local SE link (never over MQTT)");
        ushort bootstrap = DemoBootstrap.PutOwnerRequestKey(File("virtual-se.json"), Scp03StaticKeys.FromSingleKey(factory, CardState.InitialKeyVersion, CardState.InitialKey), ownerRequest);
        _story.Checks.Add(new DemoCheck("owner", "put its request key into the ISD (local link)", "9000", $"{bootstrap:X4}", bootstrap == 0x9000));

        _story.Section("Start: embedded MQTT broker (a user per tenant, topic rules), virtual SE05x on a virtual I2C bus (platform SCP03 on), nanoAgent");
        string tenantsText = $"owner {Convert.ToHexString(CardState.DefaultIsdAid)}\nacme {Convert.ToHexString(SsdAcme)}\nbeta {Convert.ToHexString(SsdBeta)}\n";
        var tenants = TenantRegistry.Parse(tenantsText);
        _users = new DemoBrokerUsers(Device, tenants);
        DemoRig.WriteAccess(_dir, tenantsText, _users);
        using AgentHost agent = AgentHost.Start(
            new AgentHostOptions
            {
                Target = new SeTarget { StatePath = File("virtual-se.json") },
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
                Gates = new Dictionary<string, byte[]> { ["acme"] = GateAcme, ["beta"] = GateBeta },
            },
            new PrefixWriter(_story.Output, "  agent | "));

        _story.Section("1. The device owner takes its ISD over from the card's initial key set (KVN FF: add its own, prove it, delete FF), then creates a security domain for each tenant and hands it its first keys");
        TakeOver(agent);
        BackendReport created = Backend(agent, "owner", CardState.DefaultIsdAid, 0, owner, ownerRequest)
            .RunInteractive(DemoScripts.OwnerCreatesDomains(owner, (SsdAcme, acmeKeys, acmeRequest), (SsdBeta, betaKeys, betaRequest)));
        _story.Check("owner", "create SSDs for acme and beta (SCP03 via relay)", "all steps 9000", created);

        _story.Section("2. Each tenant, in its own SCP03 session, installs its gate application and keys it");
        _story.Check("acme", "install + key its gate (interactive SCP03)", "all steps 9000",
            Backend(agent, "acme", SsdAcme, 1, acmeKeys, acmeRequest).RunInteractive(DemoScripts.TenantInstallsGate(SsdAcme, GateAcme, acmeGateKey, "acme-gate.apdu")));
        _story.Check("beta", "install + key its gate (interactive SCP03)", "all steps 9000",
            Backend(agent, "beta", SsdBeta, 2, betaKeys, betaRequest).RunInteractive(DemoScripts.TenantInstallsGate(SsdBeta, GateBeta, betaGateKey, "beta-gate.apdu")));

        _story.Section("3. acme pre-computes a script offline (no round trip per APDU) and sends it as one message");
        TenantBackend acme = Backend(agent, "acme", SsdAcme, 1, acmeKeys, acmeRequest);
        BatchPlan plan = acme.PrepareBatch(DemoScripts.TenantStoresData(SsdAcme, "acme-data.apdu"));
        _story.Check("acme", "pre-computed SCP03 script (batch)", "all steps 9000", acme.SendBatch(plan));
        _story.Output.WriteLine("-- an attacker who captured that message replays it (new script id, same APDUs)");
        BackendReport replay = acme.SendBatch(plan);
        _story.Checks.Add(new DemoCheck("attacker", "replay acme's pre-computed script", "refused by the SE", DemoStory.Outcome(replay), !replay.Succeeded));
        _story.Output.WriteLine("-- that cost acme's domain a failed EXTERNAL AUTHENTICATE: the relay holds acme's sessions until acme's own request grants one more attempt");
        _story.Check("acme", "its next run, with --reset-auth-guard", "all steps 9000",
            Backend(agent, "acme", SsdAcme, 1, acmeKeys, acmeRequest, resetGuard: true).RunInteractive(DemoScripts.TenantStoresData(SsdAcme, "acme-data.apdu")));

        _story.Section("4. beta tries to reach acme's domain");
        _story.Output.WriteLine("-- beta: SELECT acme's security domain through the relay");
        BackendReport select = Backend(agent, "beta", SsdBeta, 2, betaKeys, betaRequest).RunInteractive(DemoScripts.SelectOthersDomain(SsdBeta, SsdAcme, "beta-select.apdu"));
        _story.Checks.Add(new DemoCheck("beta", "SELECT acme's security domain", "refused by the agent", DemoStory.Outcome(select), !select.Succeeded));
        _story.Output.WriteLine("-- beta: DELETE acme's gate, inside beta's own SCP03 session");
        BackendReport delete = Backend(agent, "beta", SsdBeta, 2, betaKeys, betaRequest).RunInteractive(DemoScripts.DeleteOthersGate(SsdBeta, GateAcme, "beta-delete.apdu"));
        _story.Checks.Add(new DemoCheck("beta", "DELETE acme's gate from its own session", "refused by the SE", DemoStory.Outcome(delete), !delete.Succeeded));
        _story.OtherTenantsTopics(agent, Device, _users!.Password("beta"));

        _story.Section("5. An attacker with beta's broker login (stolen, so the broker's topic rules let it in) but no key tries to take the agent's connection and goes after beta; acme tries with its own key");
        new DemoAttacks(agent, Device, _users!.Password("beta"), _story, _links).Run(Backend(agent, "beta", SsdBeta, 2, betaKeys, betaRequest), SsdBeta, 2, acmeRequest);

        _story.Section("6. Gated data: the meter's reading leaves the board only with a MAC made inside the SE");
        GatedReadings(agent, acmeGateKey, betaGateKey);

        DemoRig.WriteRest(_dir, Device, acmeGateKey, betaGateKey);
        _story.Section("Summary");
        _story.PrintSummary();
        _story.Output.WriteLine($"(state, keys, logins and stores are in {_dir}; {Path.Combine(_dir, "README.md")} runs the rig again by hand)");
        return _story.ExitCode;
    }

    // docs/lifecycle.md §0: the owner's first contact, through the relay, as 'backend rotate-keys' does it.
    private void TakeOver(AgentHost agent)
    {
        var log = new PrefixWriter(_story.Output, "  owner | ");
        int exit = new BackendRotateRequest
        {
            KeysPath = TenantKeyFile.Default, NewKeysPath = File("owner-keys.json"), RequestKeyPath = File("owner-request-key.json"),
            Broker = agent.BrokerAddress.ToString(), User = "owner", Password = _users!.Password("owner"), Device = Device, Tenant = "owner",
            StatePath = File("backend-owner.json"), TimeoutSeconds = 20,
        }.Execute(log, log);
        _story.Checks.Add(new DemoCheck("owner", "take the ISD over from KVN FF (rotate-keys via relay)", "exit 0", $"exit {exit}", exit == 0));
    }

    private void GatedReadings(AgentHost agent, byte[] acmeGateKey, byte[] betaGateKey)
    {
        AgentGating gating = agent.Gating!;
        gating.Publisher.AddSensor("energy", new SimulatedMeter(MeterQuantity.Energy, seed: 7));
        gating.Publisher.Subscribe("acme", "energy");
        var relay = new RecordingRelay();
        gating.Commands.AddActuator("relay", "acme", relay);
        gating.Commands.Start();

        using var watcher = new MqttNetConnection(agent.BrokerAddress);
        var inbox = new MessageInbox(watcher);
        watcher.Connect(new MqttConnectOptions { ClientId = NanoAgent.Host.Mqtt.Access.BrokerClientIds.ForTool("acme", "watch"), UserName = "acme", Password = _users!.Password("acme"), CleanSession = true });
        watcher.Subscribe([GateTopics.Reading(Device, "acme", "energy"), GateTopics.ActuateResponse(Device, "acme")], [MqttQos.AtLeastOnce, MqttQos.AtLeastOnce]);

        gating.PublishReadings();
        byte[] reading = inbox.Next(GateTopics.Reading(Device, "acme", "energy"));
        var verifier = new GateVerifier(Device, "acme", GateAcme, acmeGateKey, new GateCounterFile(File("acme-readings.counter")));
        GateVerification first = verifier.Verify(reading);
        _story.Output.WriteLine(first.IsAccepted
            ? $"  acme backend: reading #{first.Counter} {SimulatedMeter.Decode(first.Value!)} {first.Unit} from '{first.Sensor}' verified"
            : $"  acme backend: reading rejected: {first.Reason}");
        _story.Checks.Add(new DemoCheck("acme", "verify a signed meter reading", "accepted", first.IsAccepted ? "accepted" : first.Reason, first.IsAccepted));

        // A fresh reading with one value byte changed: its counter is new, so only the MAC can catch it.
        gating.PublishReadings();
        byte[] tampered = inbox.Next(GateTopics.Reading(Device, "acme", "energy"));
        var parsed = new GateEnvelope();
        parsed.TryParse(tampered, 0, tampered.Length);
        tampered[parsed.BodyOffset + parsed.BodyLength - 1] ^= 0x01; // the value's last byte: '85' ends the body
        _story.Rejected("tampered reading (value changed)", verifier.Verify(tampered), GateVerdict.Tampered, "MAC does not verify");
        _story.Rejected("replayed reading", verifier.Verify(reading), GateVerdict.Replayed, "replayed");

        var signer = new ActuationSigner(Device, "acme", GateAcme, acmeGateKey, new GateCounterFile(File("acme-commands.counter")));
        byte[] close = signer.Sign("relay", [0x01]);
        _story.Actuate(watcher, inbox, Device, "acme", "close the relay (signed by acme)", close, ActuationStatus.Applied);
        // A byte-identical copy is what a backend re-sending after a lost answer looks like: answered again, never applied again.
        int driven = relay.Applied.Count;
        string again = _story.Actuate(watcher, inbox, Device, close);
        _story.Output.WriteLine($"  attacker: replay acme's command -> {again}, relay driven {relay.Applied.Count - driven} more time(s)");
        _story.Checks.Add(new DemoCheck("attacker", "replay acme's command", "not applied again", relay.Applied.Count == driven ? "answered again, not applied" : "APPLIED AGAIN", relay.Applied.Count == driven));
        byte[] old = ActuationSigner.Build(Device, "acme", GateAcme, acmeGateKey, 0, "relay", [0x01]);
        _story.Actuate(watcher, inbox, Device, "attacker", "replay an older counter of acme", old, ActuationStatus.Replayed);
        byte[] forged = ActuationSigner.Build(Device, "acme", GateAcme, betaGateKey, 1_000, "relay", [0x00]);
        _story.Actuate(watcher, inbox, Device, "beta", "open acme's relay with beta's key", forged, ActuationStatus.BadMac);
        _story.Checks.Add(new DemoCheck("relay", "times the relay pin was driven", "1", relay.Applied.Count.ToString(), relay.Applied.Count == 1));
    }

    private TenantBackend Backend(AgentHost agent, string tenant, byte[] sd, int channel, Scp03StaticKeys keys, Scp03StaticKeys requestKeys, bool resetGuard = false)
    {
        BackendLink link = BackendLink.Connect(agent.BrokerAddress, tenant, _users!.Password(tenant), Device, tenant);
        _links.Add(link);
        var options = new BackendOptions { Device = Device, Tenant = tenant, Sd = sd, Channel = channel, Timeout = TimeSpan.FromSeconds(20), RequestKeys = requestKeys, ResetAuthGuard = resetGuard };
        return new TenantBackend(link, options, keys, BackendState.Load(File($"backend-{tenant}.json")), new PrefixWriter(_story.Output, $"  {tenant} | "));
    }

    private string File(string name) => Path.Combine(_dir, name);
}
