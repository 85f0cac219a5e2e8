using CsCheck;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Mqtt.Tests.Access;

/// <summary>The client ids each login owns: the agent exactly its user name, others their name or <c>name:suffix</c>.</summary>
public class BrokerClientIdsTests
{
    private static readonly BrokerUser Agent = new("dev1-agent", BrokerRole.Agent, "dev1", null);
    private static readonly BrokerUser Acme = new("acme", BrokerRole.Tenant, "acme", null);
    private static readonly BrokerUser AcmeBe = new("acme-be", BrokerRole.Tenant, "acme", null);

    private static readonly Gen<string> Name = Gen.Char["a-_.09"].Array[1, 6].Select(c => new string(c));
    private static readonly Gen<BrokerRole> Role = Gen.Enum<BrokerRole>();

    [Theory]
    [InlineData("dev1-agent", true)]
    [InlineData("dev1-agent:x", false)]
    [InlineData("nanoagent-dev1", false)]
    [InlineData("dev1-agentX", false)]
    [InlineData("", false)]
    public void Owns_Agent_OnlyItsUserName(string clientId, bool owned) => Assert.Equal(owned, BrokerClientIds.Owns(Agent, clientId));

    [Theory]
    [InlineData("acme", true)]
    [InlineData("acme:backend-1a2b", true)]
    [InlineData("acme:a.b_c-D9", true)]
    [InlineData("acme-be", false)] // another login's name that starts with this one: ':' is what separates
    [InlineData("acme-be:watch", false)]
    [InlineData("acme:", false)]
    [InlineData("acme:x:y", false)]
    [InlineData("acme:x y", false)]
    [InlineData("acme:x/y", false)]
    [InlineData("dev1-agent", false)]
    [InlineData("ACME", false)]
    public void Owns_Tenant_NameOrNameColonSuffix(string clientId, bool owned) => Assert.Equal(owned, BrokerClientIds.Owns(Acme, clientId));

    [Fact]
    public void Owns_SuffixUpTo64Characters()
    {
        Assert.True(BrokerClientIds.Owns(Acme, "acme:" + new string('x', 64)));
        Assert.False(BrokerClientIds.Owns(Acme, "acme:" + new string('x', 65)));
    }

    [Fact]
    public void Owns_Property_NoClientIdBelongsToTwoLogins()
    {
        // Any two distinct user names (A-Z a-z 0-9 . _ -), any roles, any client id built from either: never both owners.
        Gen.Select(Name, Name, Role, Role, Gen.Char["a-_.:09"].Array[0, 8].Select(c => new string(c)), Gen.Bool)
            .Sample((a, b, roleA, roleB, tail, fromA) =>
            {
                if (a == b)
                {
                    return true;
                }

                var userA = new BrokerUser(a, roleA, "s", null);
                var userB = new BrokerUser(b, roleB, "s", null);
                string clientId = (fromA ? a : b) + tail;
                return !(BrokerClientIds.Owns(userA, clientId) && BrokerClientIds.Owns(userB, clientId));
            });
    }

    [Fact]
    public void Owns_Property_WhatForToolAndAssignMakeIsOwned()
    {
        Gen.Select(Name, Role).Sample((name, role) =>
        {
            var user = new BrokerUser(name, role, "s", null);
            return BrokerClientIds.Owns(user, BrokerClientIds.Assign(user))
                && (role == BrokerRole.Agent ? BrokerClientIds.Agent(name, "d") == name : BrokerClientIds.Owns(user, BrokerClientIds.ForTool(name, "backend")));
        });
    }

    [Fact]
    public void Assign_AgentGetsItsName_OthersASuffix_NoLoginAnAutoId()
    {
        Assert.Equal("dev1-agent", BrokerClientIds.Assign(Agent));
        Assert.Matches("^acme-be:auto-[0-9a-f]{12}$", BrokerClientIds.Assign(AcmeBe));
        Assert.Matches("^auto-[0-9a-f]{12}$", BrokerClientIds.Assign(null));
        Assert.NotEqual(BrokerClientIds.Assign(AcmeBe), BrokerClientIds.Assign(AcmeBe));
    }

    [Fact]
    public void AgentAndForTool_WithoutALogin_KeepTheNanoagentIds()
    {
        Assert.Equal("nanoagent-dev1", BrokerClientIds.Agent(null, "dev1"));
        Assert.Matches("^nanoagent-backend-[0-9a-f]{12}$", BrokerClientIds.ForTool(null, "backend"));
        Assert.Matches("^acme-be:backend-[0-9a-f]{12}$", BrokerClientIds.ForTool("acme-be", "backend"));
    }

    [Fact]
    public void Rule_SaysWhatIsAllowed()
    {
        Assert.Equal("only 'dev1-agent'", BrokerClientIds.Rule(Agent));
        Assert.Equal("'acme-be' or 'acme-be:<suffix>'", BrokerClientIds.Rule(AcmeBe));
    }
}
