using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Status;
using NanoAgent.Agent.Tenants;

namespace NanoAgent.Host.Mqtt.Access;

/// <summary>
/// Who may connect and which topics each user may read and write, derived from the broker users file and the tenants
/// file (docs/broker-security.md). The devices are those of the agent users; every device serves the tenants of the file.
/// The embedded broker enforces it; <see cref="MosquittoAccessFiles"/> writes the same rules for mosquitto.
/// </summary>
public sealed class BrokerAccessPolicy
{
    private readonly Dictionary<string, BrokerGrant> _grants;

    private BrokerAccessPolicy(List<BrokerGrant> grants, IReadOnlyList<string> devices)
    {
        Grants = grants;
        Devices = devices;
        _grants = grants.ToDictionary(g => g.User.Name, StringComparer.Ordinal);
    }

    /// <summary>Gets every user's grant, in users file order.</summary>
    public IReadOnlyList<BrokerGrant> Grants { get; }

    /// <summary>Gets the device ids (the scopes of the agent users).</summary>
    public IReadOnlyList<string> Devices { get; }

    /// <summary>Derives the rules.</summary>
    /// <param name="users">The users (<see cref="BrokerUserFile"/>).</param>
    /// <param name="tenants">The tenants every device serves.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="FormatException">No agent user, a device with two agent users, a tenant or owner user whose tenant
    /// is not in the tenants file, or a provision user for a device without an agent user.</exception>
    public static BrokerAccessPolicy Build(IReadOnlyList<BrokerUser> users, TenantRegistry tenants)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(tenants);
        var devices = new List<string>();
        foreach (BrokerUser agent in users.Where(u => u.Role == BrokerRole.Agent))
        {
            if (devices.Contains(agent.Scope))
            {
                throw new FormatException($"device '{agent.Scope}' has more than one agent user");
            }

            devices.Add(agent.Scope);
        }

        if (devices.Count == 0)
        {
            throw new FormatException("the users file names no agent user ('name agent deviceId hash'): no device to serve");
        }

        string[] tenantIds = tenants.All().Select(t => t.Id).ToArray();
        var grants = new List<BrokerGrant>();
        foreach (BrokerUser user in users)
        {
            grants.Add(user.Role switch
            {
                BrokerRole.Agent => AgentGrant(user),
                BrokerRole.Tenant or BrokerRole.Owner => TenantGrant(user, devices, tenantIds),
                _ => ProvisionGrant(user, devices, tenantIds),
            });
        }

        return new BrokerAccessPolicy(grants, devices);
    }

    /// <summary>Finds a user's grant.</summary>
    /// <param name="userName">The user name.</param>
    /// <returns>The grant, or null for an unknown (or absent) user.</returns>
    public BrokerGrant? Find(string? userName) => userName != null && _grants.TryGetValue(userName, out BrokerGrant? grant) ? grant : null;

    /// <summary>Checks a user name and password (MQTT CONNECT).</summary>
    /// <param name="userName">The user name, or null.</param>
    /// <param name="password">The password, or null.</param>
    /// <returns>True for a known user with a password hash that the password matches.</returns>
    public bool Authenticate(string? userName, string? password) =>
        Find(userName) is { User.PasswordHash: { } hash } && MosquittoPasswordHash.Verify(hash, password);

    private static BrokerGrant AgentGrant(BrokerUser user)
    {
        string d = user.Scope;
        string[] read = [AgentTopics.Request(d, "+"), GateTopics.ActuateRequest(d, "+"), GateTopics.AttestRequest(d, "+")];
        string[] write =
        [
            AgentTopics.Status(d), KeyStatusReporter.Topic(d), AgentTopics.Response(d, "+"), AgentTopics.Progress(d, "+"),
            GateTopics.Reading(d, "+", "+"), GateTopics.ActuateResponse(d, "+"), GateTopics.AttestResponse(d, "+"),
        ];
        return new BrokerGrant(user, read, write);
    }

    private static BrokerGrant TenantGrant(BrokerUser user, List<string> devices, string[] tenantIds)
    {
        string t = user.Scope;
        if (!tenantIds.Contains(t))
        {
            throw new FormatException($"user {user} names tenant '{t}', which is not in the tenants file");
        }

        var read = new List<string>();
        var write = new List<string>();
        foreach (string d in devices)
        {
            write.Add(AgentTopics.Request(d, t));
            write.Add(GateTopics.ActuateRequest(d, t));
            write.Add(GateTopics.AttestRequest(d, t));
            read.AddRange(TenantReads(user, d));
        }

        return new BrokerGrant(user, read, write, TenantReads(user, "+").ToList());
    }

    private static IEnumerable<string> TenantReads(BrokerUser user, string d)
    {
        string t = user.Scope;
        yield return AgentTopics.Response(d, t);
        yield return AgentTopics.Progress(d, t);
        yield return GateTopics.Reading(d, t, "+");
        yield return GateTopics.ActuateResponse(d, t);
        yield return GateTopics.AttestResponse(d, t);
        yield return AgentTopics.Status(d);
        if (user.Role == BrokerRole.Owner)
        {
            yield return KeyStatusReporter.Topic(d);
        }
    }

    private static BrokerGrant ProvisionGrant(BrokerUser user, List<string> devices, string[] tenantIds)
    {
        if (user.Scope != BrokerUser.AnyDevice && !devices.Contains(user.Scope))
        {
            throw new FormatException($"user {user} names device '{user.Scope}', which has no agent user");
        }

        var read = new List<string>();
        var write = new List<string>();
        foreach (string d in devices.Where(d => user.Scope == BrokerUser.AnyDevice || d == user.Scope))
        {
            read.AddRange(ProvisionReads(d, tenantIds));
            write.AddRange(tenantIds.Select(t => AgentTopics.Request(d, t)));
        }

        return new BrokerGrant(user, read, write, user.Scope == BrokerUser.AnyDevice ? ProvisionReads("+", tenantIds).ToList() : null);
    }

    private static IEnumerable<string> ProvisionReads(string d, string[] tenantIds) =>
        tenantIds.SelectMany(t => new[] { AgentTopics.Response(d, t), AgentTopics.Progress(d, t) }).Prepend(AgentTopics.Status(d));
}
