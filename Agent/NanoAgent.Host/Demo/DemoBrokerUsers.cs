using System.Security.Cryptography;
using NanoAgent.Agent.Tenants;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Demo;

/// <summary>
/// The demo's broker users: the agent (user = device id) and one user per tenant (user = tenant id; "owner" gets the
/// owner role), each with a random password made for this run and never printed (<see cref="DemoRig"/> leaves it in a
/// mode-600 file of the demo's folder). The embedded broker enforces their topic rules (docs/broker-security.md).
/// </summary>
internal sealed class DemoBrokerUsers
{
    private readonly Dictionary<string, string> _passwords = [];

    public DemoBrokerUsers(string device, TenantRegistry tenants)
    {
        var users = new List<BrokerUser> { Make(device, BrokerRole.Agent, device) };
        foreach (Tenant tenant in tenants.All())
        {
            users.Add(Make(tenant.Id, tenant.Id == "owner" ? BrokerRole.Owner : BrokerRole.Tenant, tenant.Id));
        }

        Users = users;
        Policy = BrokerAccessPolicy.Build(users, tenants);
    }

    public BrokerAccessPolicy Policy { get; }

    public IReadOnlyList<BrokerUser> Users { get; }

    public string Password(string user) => _passwords[user];

    private BrokerUser Make(string name, BrokerRole role, string scope)
    {
        string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _passwords[name] = password;
        return new BrokerUser(name, role, scope, MosquittoPasswordHash.Create(password));
    }
}
