using NanoAgent.Agent.Tenants;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Fleet;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Tests.Backend;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary>
/// A campaign and <c>fleet simulate</c> through the embedded broker with a users file (docs/broker-security.md): the broker
/// checks every login's password, its client id (an agent login only under its own user name, any other under
/// <c>user</c> or <c>user:suffix</c>) and its topics. Each simulated device logs in as itself under the id a real agent takes;
/// the worker logs in as the tenant's user. <see cref="MosquittoCampaignTests"/> does the same through mosquitto.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class EmbeddedBrokerUsersFleetTests(FleetDatabases databases) : IDisposable
{
    private const string FleetUser = "acme-fleet";
    private const string FleetPassword = "fleet-password-1";
    private readonly byte[] _secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private readonly List<string> _log = [];
    private EmbeddedBroker? _broker;

    public void Dispose() => _broker?.Dispose();

    [Fact]
    public void Campaign_PerDeviceLogins_EmbeddedBrokerEnforcingTheUsersFile_Succeeds()
    {
        string[] ids = Enumerable.Range(1, 6).Select(i => FleetSimulator.DeviceId("sim-", i, 6)).ToArray();
        EmbeddedBroker broker = Start(ids);
        using var rig = new FleetRig(ids.Length, broker: broker.Address, secret: _secret);
        string db = databases.NewSpec("sqlite");
        CampaignStore store = rig.Create(db, "users", rig.Ids);

        (int exit, string output, string error) = rig.Run(db, "users", user: FleetUser, password: FleetPassword);

        Assert.True(exit == 0, output + error + string.Join('\n', _log));
        Assert.Equal(ids.Length, store.CountByState("users")[DeviceState.Succeeded]);
        Assert.All(rig.Ids, id => Assert.Equal(9, rig.StoreDataCount(id)));
        Assert.Empty(Refusals());
    }

    [Fact]
    public void FleetSimulate_PerDeviceLogins_EmbeddedBrokerEnforcingTheUsersFile_DevicesOnline()
    {
        using var dir = new TempDir();
        AgentRig.WriteKeys(dir.File("k.json"), 0x01, 0x10);
        AgentRig.WriteKeys(dir.File("r.json"), 0x60, 0x50);
        File.WriteAllBytes(dir.File("secret"), _secret);
        EmbeddedBroker broker = Start(Enumerable.Range(1, 3).Select(i => FleetSimulator.DeviceId("sim-", i, 3)));

        CliRun run = CliRun.Of("fleet", "simulate", "--devices", "3", "--tenant", "acme", "--keys", dir.File("k.json"), "--request-key", dir.File("r.json"),
            "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--device-secret-file", dir.File("secret"), "--seconds", "1");

        Assert.True(run.ExitCode == 0, run.Output + run.Error + string.Join('\n', _log));
        Assert.Contains("3 simulated devices online", run.Output, StringComparison.Ordinal);
        Assert.Empty(Refusals());
    }

    // The devices as agent users, the worker as the tenant's user, every password in mosquitto's hash format.
    private EmbeddedBroker Start(IEnumerable<string> devices)
    {
        var users = devices.Select(id => new BrokerUser(id, BrokerRole.Agent, id, MosquittoPasswordHash.Create(FleetSimulator.DevicePassword(_secret, id))))
            .Append(new BrokerUser(FleetUser, BrokerRole.Tenant, FleetRig.Tenant, MosquittoPasswordHash.Create(FleetPassword)))
            .ToList();
        _broker = new EmbeddedBroker
        {
            AccessPolicy = BrokerAccessPolicy.Build(users, TenantRegistry.Parse($"{FleetRig.Tenant} {FleetScripts.DefaultSd} 0\n")),
            Log = line =>
            {
                lock (_log)
                {
                    _log.Add(line);
                }
            },
        };
        _broker.Start();
        return _broker;
    }

    private List<string> Refusals()
    {
        lock (_log)
        {
            return _log.Where(l => l.StartsWith("refused", StringComparison.Ordinal) || l.StartsWith("dropped", StringComparison.Ordinal)).ToList();
        }
    }
}
