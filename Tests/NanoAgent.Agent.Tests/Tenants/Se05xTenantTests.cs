using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Tests.Tenants;

public class Se05xTenantTests
{
    [Fact]
    public void Parse_Se05xLine_TargetIsTheAppletOnTheBasicChannel()
    {
        TenantRegistry registry = TenantRegistry.Parse("acme se05x 7A0A0000\nbeta se05x 7a0b0000 4096 # comment\n");

        Tenant acme = registry.Find("acme")!;
        Assert.True(acme.IsSe05x);
        Assert.Equal(0x7A0A0000u, acme.Se05xAuthObject);
        Assert.Equal("A0000003965453000000010300000000", Hex.Of(acme.GetSdAid()));
        Assert.Equal(4096, registry.Find("beta")!.MaxScriptBytes);
    }

    [Theory]
    [InlineData("acme se05x 7A0A0001", "end in 00")]
    [InlineData("acme se05x 7FFF0200", "7FFF")]
    [InlineData("acme se05x 00000000", "not be 0")]
    [InlineData("acme se05x 7A0A00", "8 hex digits")]
    [InlineData("acme se05x 7A0A00G0", "not hex")]
    [InlineData("acme se05x 7A0A0000\nbeta se05x 7A0A0000", "authentication object")]
    [InlineData("acme se05x 7A0A0000 1 2", "is not")]
    public void Parse_BadSe05xLine_Refused(string text, string why)
    {
        var e = Assert.Throws<ArgumentException>(() => TenantRegistry.Parse(text));
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void GpAndSe05xTenants_KeepTheirOwnRules()
    {
        TenantRegistry registry = TenantRegistry.Parse("gp A0000001515350410A 1\nacme se05x 7A0A0000\n");
        Assert.False(registry.Find("gp")!.IsSe05x);
        Assert.Equal(0u, registry.Find("gp")!.Se05xAuthObject);
    }
}
