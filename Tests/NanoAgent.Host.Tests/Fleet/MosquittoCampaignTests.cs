using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Fleet;
using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Mqtt.Tests.Brokers;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary>
/// A campaign through a real mosquitto with logins and ACLs: each simulated device logs in as itself (password derived from
/// the fleet secret) with the agent's rules, the worker as the tenant's fleet user with the read rules docs/fleet.md lists.
/// </summary>
[Collection(FleetCollection.Name)]
public class MosquittoCampaignTests(FleetDatabases databases)
{
    [Fact]
    public void Campaign_ThroughMosquittoWithPerDeviceLogins_Succeeds()
    {
        byte[] secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        string[] ids = Enumerable.Range(1, 8).Select(i => FleetSimulator.DeviceId("sim-", i, 8)).ToArray();
        const string FleetUser = "acme-fleet", FleetPassword = "fleet-password-1";
        using var mosquitto = new MosquittoFixture((dir, port) =>
        {
            string passwd = Path.Combine(dir, "passwd"), acl = Path.Combine(dir, "acl");
            File.WriteAllLines(passwd, ids.Select(id => $"{id}:{MosquittoPasswordHash.Create(FleetSimulator.DevicePassword(secret, id))}")
                .Append($"{FleetUser}:{MosquittoPasswordHash.Create(FleetPassword)}"));
            File.WriteAllLines(acl,
            [
                $"user {FleetUser}",
                "topic write nanoagent/+/acme/script/req",
                "topic read nanoagent/+/acme/script/res",
                "topic read nanoagent/+/acme/script/progress",
                "topic read nanoagent/+/status",
                "pattern write nanoagent/%u/status",
                "pattern read nanoagent/%u/+/script/req",
                "pattern write nanoagent/%u/+/script/res",
                "pattern write nanoagent/%u/+/script/progress",
            ]);
            MosquittoFixture.MakeReadableByBroker(passwd);
            MosquittoFixture.MakeReadableByBroker(acl);
            return [$"listener {port} 127.0.0.1", "allow_anonymous false", $"password_file {passwd}", $"acl_file {acl}", "persistence false"];
        });
        mosquitto.Start();
        using var rig = new FleetRig(8, broker: mosquitto.Address, secret: secret);
        string db = databases.NewSpec("sqlite");
        CampaignStore store = rig.Create(db, "acl", rig.Ids);

        (int exit, string output, string error) = rig.Run(db, "acl", user: FleetUser, password: FleetPassword);

        Assert.True(exit == 0, output + error + mosquitto.Log);
        Assert.Equal(8, store.CountByState("acl")[DeviceState.Succeeded]);
        Assert.All(rig.Ids, id => Assert.Equal(9, rig.StoreDataCount(id)));

        // A worker whose login the broker refuses: exit 1, nothing sent.
        rig.Create(db, "anon", rig.Ids, new RolloutRules { MaxAttempts = 1, AbortPercent = 100 });
        (exit, _, error) = rig.Run(db, "anon", user: FleetUser, password: "wrong");
        Assert.Equal(1, exit);
        Assert.StartsWith("the broker refused the login", error, StringComparison.Ordinal);
        Assert.All(rig.Ids, id => Assert.Equal(9, rig.StoreDataCount(id)));
    }
}
