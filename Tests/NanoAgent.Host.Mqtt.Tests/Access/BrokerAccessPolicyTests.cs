using CsCheck;
using NanoAgent.Agent.Tenants;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Mqtt.Tests.Access;

/// <summary>The topic rules derived from the users and tenants files (docs/broker-security.md).</summary>
public class BrokerAccessPolicyTests
{
    private readonly BrokerAccessPolicy _policy = AccessSetup.Policy();

    [Theory]
    [InlineData("acme-be", "nanoagent/dev1/acme/script/req", true)]
    [InlineData("acme-be", "nanoagent/dev1/acme/actuate/req", true)]
    [InlineData("acme-be", "nanoagent/dev1/beta/script/req", false)]
    [InlineData("acme-be", "nanoagent/dev1/beta/actuate/req", false)]
    [InlineData("acme-be", "nanoagent/dev1/owner/script/req", false)]
    [InlineData("acme-be", "nanoagent/dev1/acme/script/res", false)] // a forged answer to itself
    [InlineData("acme-be", "nanoagent/dev1/status", false)]
    [InlineData("acme-be", "nanoagent/dev2/acme/script/req", false)] // no agent user for dev2
    [InlineData("dev1-agent", "nanoagent/dev1/status", true)]
    [InlineData("dev1-agent", "nanoagent/dev1/keys", true)]
    [InlineData("dev1-agent", "nanoagent/dev1/beta/script/res", true)]
    [InlineData("dev1-agent", "nanoagent/dev1/beta/script/progress", true)]
    [InlineData("dev1-agent", "nanoagent/dev1/acme/reading/energy", true)]
    [InlineData("dev1-agent", "nanoagent/dev1/acme/actuate/res", true)]
    [InlineData("dev1-agent", "nanoagent/dev1/acme/script/req", false)]
    [InlineData("dev1-agent", "nanoagent/dev2/status", false)]
    [InlineData("field", "nanoagent/dev1/acme/script/req", true)]
    [InlineData("field", "nanoagent/dev1/beta/script/req", true)]
    [InlineData("field", "nanoagent/dev1/acme/actuate/req", false)]
    [InlineData("nobody", "nanoagent/dev1/acme/script/req", false)]
    public void MayPublish(string user, string topic, bool expected) =>
        Assert.Equal(expected, _policy.Find(user)?.MayPublish(topic) == true);

    [Theory]
    [InlineData("acme-be", "nanoagent/dev1/acme/script/res", true)]
    [InlineData("acme-be", "nanoagent/dev1/acme/script/progress", true)]
    [InlineData("acme-be", "nanoagent/dev1/acme/reading/+", true)]
    [InlineData("acme-be", "nanoagent/dev1/acme/actuate/res", true)]
    [InlineData("acme-be", "nanoagent/dev1/status", true)]
    [InlineData("acme-be", "nanoagent/dev1/beta/script/res", false)]
    [InlineData("acme-be", "nanoagent/dev1/+/script/res", false)]
    [InlineData("acme-be", "nanoagent/dev1/acme/script/req", false)]
    [InlineData("acme-be", "nanoagent/dev1/keys", false)]
    [InlineData("acme-be", "nanoagent/#", false)]
    [InlineData("owner-be", "nanoagent/dev1/keys", true)]
    [InlineData("owner-be", "nanoagent/dev1/acme/script/res", false)]
    [InlineData("dev1-agent", "nanoagent/dev1/+/script/req", true)]
    [InlineData("dev1-agent", "nanoagent/dev1/acme/actuate/req", true)]
    [InlineData("dev1-agent", "nanoagent/dev1/acme/script/res", false)]
    [InlineData("field", "nanoagent/dev1/beta/script/progress", true)]
    [InlineData("field", "nanoagent/dev1/acme/reading/+", false)]
    [InlineData("acme-be", "nanoagent/+/acme/script/res", true)] // a campaign worker's filters (docs/fleet.md)
    [InlineData("acme-be", "nanoagent/+/acme/script/progress", true)]
    [InlineData("acme-be", "nanoagent/+/status", true)]
    [InlineData("acme-be", "nanoagent/+/acme/reading/+", true)]
    [InlineData("acme-be", "nanoagent/+/beta/script/res", false)]
    [InlineData("acme-be", "nanoagent/+/+/script/res", false)]
    [InlineData("acme-be", "nanoagent/+/acme/script/req", false)]
    [InlineData("acme-be", "nanoagent/+/acme/#", false)]
    [InlineData("acme-be", "nanoagent/+/keys", false)]
    [InlineData("owner-be", "nanoagent/+/keys", true)]
    [InlineData("dev1-agent", "nanoagent/+/+/script/req", false)] // an agent's rules are its own device's only
    [InlineData("dev1-agent", "nanoagent/+/acme/script/req", false)]
    [InlineData("field", "nanoagent/+/acme/script/res", false)] // a provisioning login of one device
    public void MaySubscribe(string user, string filter, bool expected) =>
        Assert.Equal(expected, _policy.Find(user)!.MaySubscribe(filter));

    [Fact]
    public void Authenticate_RightPasswordOnly()
    {
        Assert.True(_policy.Authenticate("acme-be", "acme-pw"));
        Assert.False(_policy.Authenticate("acme-be", "beta-pw"));
        Assert.False(_policy.Authenticate("acme-be", null));
        Assert.False(_policy.Authenticate("nobody", "acme-pw"));
        Assert.False(_policy.Authenticate(null, null));
    }

    [Fact]
    public void Authenticate_CertificateOnlyUser_NoPasswordLogin()
    {
        BrokerAccessPolicy policy = BrokerAccessPolicy.Build(BrokerUserFile.Parse("dev1 agent dev1 -"), TenantRegistry.Parse(AccessSetup.TenantsText));
        Assert.False(policy.Authenticate("dev1", ""));
        Assert.False(policy.Authenticate("dev1", null));
    }

    [Theory]
    [InlineData("acme-be tenant acme -", "no agent user")]
    [InlineData("a agent dev1 -\nb agent dev1 -", "device 'dev1' has more than one agent user")]
    [InlineData("a agent dev1 -\nx tenant gamma -", "tenant 'gamma', which is not in the tenants file")]
    [InlineData("a agent dev1 -\nx owner gamma -", "tenant 'gamma', which is not in the tenants file")]
    [InlineData("a agent dev1 -\nf provision dev9 -", "device 'dev9', which has no agent user")]
    public void Build_Inconsistent_FormatExceptionSaysWhy(string users, string expected)
    {
        var e = Assert.Throws<FormatException>(() => BrokerAccessPolicy.Build(BrokerUserFile.Parse(users), TenantRegistry.Parse(AccessSetup.TenantsText)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Build_ProvisionAnyDevice_EveryDevicesRequests()
    {
        BrokerAccessPolicy policy = BrokerAccessPolicy.Build(
            BrokerUserFile.Parse("a agent dev1 -\nb agent dev2 -\nf provision * -"), TenantRegistry.Parse(AccessSetup.TenantsText));
        Assert.True(policy.Find("f")!.MayPublish("nanoagent/dev2/beta/script/req"));
        Assert.True(policy.Find("f")!.MayPublish("nanoagent/dev1/acme/script/req"));
        Assert.True(policy.Find("f")!.MaySubscribe("nanoagent/+/beta/script/res"));
        Assert.True(policy.Find("f")!.MaySubscribe("nanoagent/+/status"));
        Assert.False(policy.Find("f")!.MaySubscribe("nanoagent/+/beta/reading/+"));
        Assert.False(policy.Find("f")!.MayPublish("nanoagent/+/beta/script/req"));
        Assert.Equal(["dev1", "dev2"], policy.Devices);
    }

    [Fact]
    public void Property_TenantUsersNeverReachAnotherTenantsOrDevicesTopics()
    {
        // Random tenant sets and the protocol's topic families: a tenant user may publish or subscribe to a per-tenant
        // topic only when its tenant level is the user's own tenant and its device is a served device.
        string[] ids = ["acme", "beta", "gamma", "owner", "t.1", "t_2", "t-3"];
        string[] families = ["script/req", "script/res", "script/progress", "actuate/req", "actuate/res", "reading/energy", "reading/+"];
        Gen.Select(Gen.Int[1, ids.Length], Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, families.Length - 1], Gen.Bool).Sample((count, who, whose, family, otherDevice) =>
        {
            string[] tenants = ids[..count];
            var registry = TenantRegistry.Parse(string.Join('\n', tenants.Select((t, i) => $"{t} F06E616E6F5344{i:X2} {i + 1}")));
            string users = "a agent dev1 -\n" + string.Join('\n', tenants.Select(t => $"u-{t} tenant {t} -"));
            BrokerAccessPolicy policy = BrokerAccessPolicy.Build(BrokerUserFile.Parse(users), registry);
            string user = tenants[who % count], target = ids[whose % ids.Length];
            string topic = $"nanoagent/{(otherDevice ? "dev2" : "dev1")}/{target}/{families[family]}";
            BrokerGrant grant = policy.Find("u-" + user)!;
            bool mayAct = (!topic.Contains('+') && grant.MayPublish(topic)) || grant.MaySubscribe(topic);
            return !mayAct || (target == user && !otherDevice);
        });
    }

    [Fact]
    public void Property_TenantUsersWithAnyDevice_ReadOnlyTheirOwnAnswers()
    {
        // A '+' for the device (a campaign worker's filter, docs/fleet.md) reaches the tenant's own answers, readings and the
        // devices' status only, and never lets it publish.
        string[] ids = ["acme", "beta", "gamma", "owner", "t.1", "t_2", "t-3"];
        string[] families = ["script/req", "script/res", "script/progress", "actuate/req", "actuate/res", "attest/req", "attest/res", "reading/energy", "reading/+", "#"];
        Gen.Select(Gen.Int[1, ids.Length], Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, families.Length - 1]).Sample((count, who, whose, family) =>
        {
            string[] tenants = ids[..count];
            var registry = TenantRegistry.Parse(string.Join('\n', tenants.Select((t, i) => $"{t} F06E616E6F5344{i:X2} {i + 1}")));
            string users = "a agent dev1 -\nb agent dev2 -\n" + string.Join('\n', tenants.Select(t => $"u-{t} tenant {t} -"));
            BrokerGrant grant = BrokerAccessPolicy.Build(BrokerUserFile.Parse(users), registry).Find("u-" + tenants[who % count])!;
            string target = ids[whose % ids.Length];
            string filter = $"nanoagent/+/{target}/{families[family]}";
            bool answer = !families[family].EndsWith("/req", StringComparison.Ordinal) && families[family] != "#";
            return grant.MaySubscribe(filter) == (target == tenants[who % count] && answer) && !grant.MayPublish(filter);
        });
    }
}
