using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Se05x;
using NanoAgent.Agent.Tenants;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Agent.Tests.Gating;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// docs/protocol.md §4.6 at the APDU level, against a scripted SE: the relay opens an applet session with the tenant's
/// authentication object (CreateSession, AN12413 §4.5.1), puts every step unchanged into ProcessSessionCmd with that session's
/// id (§4.5.2, framed as middleware se05x_Transform does), and closes it. The virtual SE05x runs the same in the host tests.
/// </summary>
public class Se05xRelayTests
{
    private const string Version = "0307006FFF010B";
    private const string Sid = "0102030405060708";
    private const string Select = "00A4040010A000000396545300000001030000000000";
    private const string Create = "8004001B0641047A0A0000";
    private static readonly string Applet = Hex.Of(Tenant.AppletAid());

    private static (ScriptRelay Relay, ScriptedSe Se, RecordingListener Listener) Rig(params string[] answers)
    {
        var se = new ScriptedSe([Version + "9000", .. answers]);
        var tenants = TenantRegistry.Parse("acme se05x 7A0A0000\nbeta se05x 7A0B0000 4096\n");
        var options = new RelayOptions { MaxCommandData = 892, MaxResponseData = 1024 };
        var listener = new RecordingListener();
        var relay = new ScriptRelay(tenants, new InMemoryRelayStore(4), se, new VirtualClock(), options, new AcceptingVerifier(), new Se05xApplet(se, 1024)) { Listener = listener };
        return (relay, se, listener);
    }

    // se05x_Transform: TAG_SESSION_ID, TAG_1 with the step (shortest length), extended Lc, Le 0000.
    private static string Wrapped(string step)
    {
        int n = step.Length / 2;
        string length = n < 0x80 ? $"{n:X2}" : n < 0x100 ? $"81{n:X2}" : $"82{n:X4}";
        return $"80050000 00{10 + 1 + (length.Length / 2) + n:X4} 1008{Sid} 41{length} {step} 0000".Replace(" ", string.Empty);
    }

    [Fact]
    public void Open_CreatesASessionWithTheTenantsAuthObject_AnswersTheAppletVersion()
    {
        var (relay, se, listener) = Rig("41820008" + Sid + "9000");
        relay.Submit("acme", RelayRig.Script("acme", 1, "s", Applet));

        Assert.Equal(new[] { Select, Create }, se.Sent);
        Assert.Equal((0, Version + "9000"), (listener.LastResponse.Sequence, Hex.Of(listener.LastResponse.Response!)));
    }

    [Fact]
    public void Steps_GoUnchangedIntoProcessSessionCmd_TheEndClosesTheSession()
    {
        var (relay, se, listener) = Rig("41820008" + Sid + "9000", "00112233445566778899AABB00036000000000000000000000000000009000", "9000");
        relay.Submit("acme", RelayRig.Script("acme", 1, "s", Applet));

        relay.Forward("acme", RelayRig.Apdu("acme", "s", 1, "80500000081122334455667788"));
        relay.Forward("acme", RelayRig.Apdu("acme", "s", 2, null, end: true));

        Assert.Equal(Wrapped("80500000081122334455667788"), se.Sent[2]);
        Assert.EndsWith("9000", Hex.Of(listener.Responses[1].Response.Response!));
        Assert.Equal(Wrapped("8004001C"), se.Sent[3]);
        Assert.Equal(ScriptOutcome.Completed, listener.LastResult.Outcome);
    }

    [Fact]
    public void TenantClosesItsOwnSession_TheRelaySendsNoSecondClose()
    {
        var (relay, se, listener) = Rig("41820008" + Sid + "9000", "9000");
        relay.Submit("acme", RelayRig.Script("acme", 1, "s", Applet));

        relay.Forward("acme", RelayRig.Apdu("acme", "s", 1, "8404001C08A1A2A3A4A5A6A7A8", end: true));

        Assert.Equal(3, se.Sent.Count);
        Assert.Equal(ScriptOutcome.Completed, listener.LastResult.Outcome);
    }

    [Fact]
    public void CreateSessionRefused_SetupFailedWithTheAppletsStatusWord()
    {
        var (relay, se, listener) = Rig("6985");
        relay.Submit("acme", RelayRig.Script("acme", 1, "s", Applet));

        Assert.Equal((ScriptOutcome.SetupFailed, (ushort)0x6985), (listener.LastResult.Outcome, listener.LastResult.SetupSw));
        Assert.Equal(2, se.Sent.Count);
    }

    [Fact]
    public void NoRoomForASession_WhileTheRelayHoldsNone_SelectsAgainToEndLeftSessions_ThenOnce()
    {
        var (relay, se, listener) = Rig("6A84", Version + "9000", "6A84");
        relay.Submit("acme", RelayRig.Script("acme", 1, "s", Applet));

        Assert.Equal(new[] { Select, Create, Select, Create }, se.Sent);
        Assert.Equal((ScriptOutcome.SetupFailed, (ushort)0x6A84), (listener.LastResult.Outcome, listener.LastResult.SetupSw));
    }

    [Theory]
    [InlineData("00A4040010A000000396545300000001030000000000", RejectReason.ForbiddenSelect)]
    [InlineData("8004001B0641047A0B0000", RejectReason.ForbiddenCommand)]
    [InlineData("800500000E1008010203040506070841028002", RejectReason.ForbiddenCommand)]
    public void RefusedSteps_NeverReachTheSe_TheSessionGoesOn(string step, RejectReason reason)
    {
        var (relay, se, listener) = Rig("41820008" + Sid + "9000");
        relay.Submit("acme", RelayRig.Script("acme", 1, "s", Applet));

        relay.Forward("acme", RelayRig.Apdu("acme", "s", 1, step));

        Assert.Equal(reason, listener.LastResponse.Reason);
        Assert.Equal(2, se.Sent.Count);
        Assert.Equal(1, relay.OpenSessionCount);
    }

    [Fact]
    public void TwoTenants_EachInItsOwnSession()
    {
        const string Sid2 = "1112131415161718";
        var (relay, se, _) = Rig("41820008" + Sid + "9000", "41820008" + Sid2 + "9000", "9000", "9000");
        relay.Submit("acme", RelayRig.Script("acme", 1, "a", Applet));
        relay.Submit("beta", RelayRig.Script("beta", 1, "b", Applet));

        relay.Forward("beta", RelayRig.Apdu("beta", "b", 1, "800400490441020010"));
        relay.Forward("acme", RelayRig.Apdu("acme", "a", 1, "800400490441020010"));

        Assert.Equal("8004001B0641047A0B0000", se.Sent[2]);
        Assert.Contains("1008" + Sid2, se.Sent[3]);
        Assert.Contains("1008" + Sid, se.Sent[4]);
        Assert.Equal(2, relay.OpenSessionCount);
    }

    [Fact]
    public void TargetMustBeTheApplet()
    {
        var (relay, se, listener) = Rig();
        relay.Submit("acme", RelayRig.Script("acme", 1, "s", "F06E616E6F534401"));
        Assert.Equal(RejectReason.TargetMismatch, listener.LastResult.Reason);
        Assert.Empty(se.Sent);
    }
}
