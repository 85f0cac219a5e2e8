using NanoAgent.Agent.Tenants;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Mqtt.Tests.Access;

/// <summary>One device, the owner and two tenants (as in the demo), their users and passwords, for the access tests.</summary>
public static class AccessSetup
{
    public const string Device = "dev1";

    public static readonly string TenantsText = "owner A000000151000000 0\nacme F06E616E6F534401 1\nbeta F06E616E6F534402 2\n";

    /// <summary>Each user's password (tests only; the users file holds hashes).</summary>
    public static readonly IReadOnlyDictionary<string, string> Passwords = new Dictionary<string, string>
    {
        ["dev1-agent"] = "agent-pw",
        ["owner-be"] = "owner-pw",
        ["acme-be"] = "acme-pw",
        ["beta-be"] = "beta-pw",
        ["field"] = "field-pw",
    };

    /// <summary>Makes the users file text (hashes with 2 iterations to keep the tests quick).</summary>
    public static string UsersText() =>
        $"""
        # name      role       scope  hash
        dev1-agent  agent      dev1   {Hash("dev1-agent")}
        owner-be    owner      owner  {Hash("owner-be")}
        acme-be     tenant     acme   {Hash("acme-be")}
        beta-be     tenant     beta   {Hash("beta-be")}
        field       provision  dev1   {Hash("field")}
        """;

    public static BrokerAccessPolicy Policy() =>
        BrokerAccessPolicy.Build(BrokerUserFile.Parse(UsersText()), TenantRegistry.Parse(TenantsText));

    private static string Hash(string user) => MosquittoPasswordHash.Create(Passwords[user], iterations: 2);
}
