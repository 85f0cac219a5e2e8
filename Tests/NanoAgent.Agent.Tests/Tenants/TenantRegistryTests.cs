using CsCheck;
using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Tests.Tenants;

public class TenantRegistryTests
{
    [Fact]
    public void Parse_NewFormWithCommentsAndDefaults_LoadsTenants()
    {
        TenantRegistry registry = TenantRegistry.Parse("# tenants\nacme F06E616E6F534401 8192\n\n  beta\tf06e616e6f534402 # default size\r\n");

        Assert.Equal(2, registry.Count);
        Tenant beta = registry.Find("beta")!;
        Assert.Equal(("F06E616E6F534402", Tenant.DefaultMaxScriptBytes), (Hex.Of(beta.GetSdAid()), beta.MaxScriptBytes));
        Assert.Equal(8192, registry.Find("acme")!.MaxScriptBytes);
        Assert.Equal(["acme", "beta"], registry.All().Select(t => t.Id));
        Assert.Null(registry.Find("gamma"));
    }

    [Fact]
    public void Parse_OldFormWithAChannelColumn_StillLoads_ChannelIgnored()
    {
        // The form before channels were taken per session: 'id sdAidHex channel [maxScriptBytes]'.
        TenantRegistry registry = TenantRegistry.Parse("acme F06E616E6F534401 1 8192\nbeta F06E616E6F534402 2\nowner A000000151000000 0\n");

        Assert.Equal((8192, Tenant.DefaultMaxScriptBytes, 3), (registry.Find("acme")!.MaxScriptBytes, registry.Find("beta")!.MaxScriptBytes, registry.Count));
    }

    [Fact]
    public void Parse_SixteenTenants_TwoOnTheSameOldChannel_AllLoad()
    {
        // Channels no longer belong to tenants: an old file where two tenants named the same channel loads too.
        string text = string.Join("\n", Enumerable.Range(0, 16).Select(i => $"t{i} F06E616E6F5344{i:X2} {i % 4}"));

        Assert.Equal(16, TenantRegistry.Parse(text).Count);
    }

    [Theory]
    [InlineData("acme")] // no AID
    [InlineData("acme F06E616E6F53440 1")] // odd hex
    [InlineData("acme F06E616E6F5344ZZ 1")] // not hex
    [InlineData("acme F06E 1")] // AID too short
    [InlineData("acme F06E616E6F534401 20")] // neither an old channel (0-19) nor a size limit (64 or more)
    [InlineData("acme F06E616E6F534401 63")] // size limit below the smallest authenticated request
    [InlineData("acme F06E616E6F534401 20 4096")] // old form, channel out of range
    [InlineData("acme F06E616E6F534401 1 32")] // old form, size limit too small
    [InlineData("acme F06E616E6F534401 1 4096 9")] // too many words
    [InlineData("ac/me F06E616E6F534401 1")] // '/' in the id
    [InlineData("acme F06E616E6F534401\nacme F06E616E6F534402")] // same id
    [InlineData("acme F06E616E6F534401\nbeta F06E616E6F534401")] // same SD
    public void Parse_BadConfiguration_Throws(string text)
    {
        Assert.Throws<ArgumentException>(() => TenantRegistry.Parse(text));
    }

    [Fact]
    public void Parse_AnyText_LoadsOrThrowsArgumentException()
    {
        // A tenants file comes from an operator: whatever it holds, the parser answers with tenants or one ArgumentException.
        Gen.String[Gen.Char["acmebt0123456789F \t#\n"], 0, 80].Sample(text =>
        {
            try
            {
                TenantRegistry registry = TenantRegistry.Parse(text);
                Assert.All(registry.All(), t => Assert.True(t.MaxScriptBytes >= Tenant.MinMaxScriptBytes));
            }
            catch (ArgumentException)
            {
                // Refused with a reason: the agent prints it as one line naming the file.
            }
        });
    }

    [Fact]
    public void Parse_OldAndNewFormOfTheSameTenants_SameRegistry()
    {
        var gen = Gen.Select(Gen.Int[1, 16], Gen.Int[0, 19], Gen.Int[Tenant.MinMaxScriptBytes, 65536]);
        gen.Sample((count, channel, size) =>
        {
            var ids = Enumerable.Range(0, count).Select(i => $"t{i}").ToArray();
            string fresh = string.Join("\n", ids.Select((id, i) => $"{id} F06E616E6F5344{i:X2} {size}"));
            string old = string.Join("\n", ids.Select((id, i) => $"{id} F06E616E6F5344{i:X2} {(channel + i) % 20} {size}"));

            Tenant[] a = TenantRegistry.Parse(fresh).All(), b = TenantRegistry.Parse(old).All();
            Assert.Equal(a.Select(t => (t.Id, Hex.Of(t.GetSdAid()), t.MaxScriptBytes)), b.Select(t => (t.Id, Hex.Of(t.GetSdAid()), t.MaxScriptBytes)));
        });
    }
}
