using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Tests.Tenants;

public class TenantRegistryTests
{
    [Fact]
    public void Parse_LinesWithCommentsAndDefaults_LoadsTenants()
    {
        TenantRegistry registry = TenantRegistry.Parse("# tenants\nacme F06E616E6F534401 1 8192\n\n  beta\tf06e616e6f534402 2 # default size\r\n");

        Assert.Equal(2, registry.Count);
        Tenant beta = registry.Find("beta")!;
        Assert.Equal(("F06E616E6F534402", 2, Tenant.DefaultMaxScriptBytes), (Hex.Of(beta.GetSdAid()), beta.LogicalChannel, beta.MaxScriptBytes));
        Assert.Equal(["acme", "beta"], registry.All().Select(t => t.Id));
        Assert.Null(registry.Find("gamma"));
    }

    [Theory]
    [InlineData("acme F06E616E6F534401")] // no channel
    [InlineData("acme F06E616E6F53440 1")] // odd hex
    [InlineData("acme F06E616E6F5344ZZ 1")] // not hex
    [InlineData("acme F06E 1")] // AID too short
    [InlineData("acme F06E616E6F534401 20")] // channel out of range
    [InlineData("ac/me F06E616E6F534401 1")] // '/' in the id
    [InlineData("acme F06E616E6F534401 1\nacme F06E616E6F534402 2")] // same id
    [InlineData("acme F06E616E6F534401 1\nbeta F06E616E6F534401 2")] // same SD
    [InlineData("acme F06E616E6F534401 1\nbeta F06E616E6F534402 1")] // same channel
    public void Parse_BadConfiguration_Throws(string text)
    {
        Assert.Throws<ArgumentException>(() => TenantRegistry.Parse(text));
    }

    [Fact]
    public void Parse_TwoTenantsOnTheBasicChannel_Allowed()
    {
        Assert.Equal(2, TenantRegistry.Parse("a F06E616E6F534401 0\nb F06E616E6F534402 0").Count);
    }
}
