using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// docs/protocol.md §4.5: after <see cref="RelayOptions.AuthFailureLimit"/> consecutive failed EXTERNAL AUTHENTICATEs on a
/// tenant's SD the relay withholds its INITIALIZE UPDATEs (so even the tenant's own buggy backend cannot get the key set
/// blocked), until the tenant's authenticated reset request. The rig's SDs have no SCP03 keys, so every EXTERNAL
/// AUTHENTICATE fails at the card.
/// </summary>
public class ExternalAuthGuardTests
{
    // GP Amd D §7.1.1 INITIALIZE UPDATE and §7.1.2 EXTERNAL AUTHENTICATE on acme's channel 1.
    private const string InitializeUpdate = "815000000801020304050607080" + "0";
    private const string ExternalAuthenticate = "85823300100102030405060708090A0B0C0D0E0F10";

    private static RelayRig WithTwoFailures(RelayOptions? options = null)
    {
        var rig = new RelayRig(options: options);
        rig.Relay.Submit("acme", Script("acme", 1, "s", AcmeSd));
        rig.Relay.Forward("acme", Apdu("acme", "s", 1, InitializeUpdate));
        rig.Relay.Forward("acme", Apdu("acme", "s", 2, ExternalAuthenticate));
        rig.Relay.Forward("acme", Apdu("acme", "s", 3, ExternalAuthenticate));
        Assert.NotEqual("9000", Hex.Of(rig.Listener.LastResponse.Response![^2..]));
        return rig;
    }

    [Fact]
    public void Forward_AfterTwoFailedExternalAuthenticates_InitializeUpdateWithheld()
    {
        RelayRig rig = WithTwoFailures();
        Assert.Equal(2, rig.Store.GetAuthFailures("acme"));
        int commands = rig.Transport.Commands;

        rig.Relay.Forward("acme", Apdu("acme", "s", 4, InitializeUpdate));

        Assert.Equal((4, RejectReason.AuthLockout), (rig.Listener.LastResponse.Sequence, rig.Listener.LastResponse.Reason));
        Assert.Equal(commands, rig.Transport.Commands);

        // Other commands still go through; the session goes on.
        rig.Relay.Forward("acme", Apdu("acme", "s", 4, GetIinCh1, end: true));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Fact]
    public void Submit_BatchWithInitializeUpdateWhileLocked_RejectedCounterKept_SurvivesARestart()
    {
        RelayRig rig = WithTwoFailures();
        rig.Relay.Forward("acme", Apdu("acme", "s", 4, null, end: true));
        rig.NewRelay(); // an agent restart on the same store

        rig.Relay.Submit("acme", Script("acme", 2, "b", AcmeSd, Step(InitializeUpdate, 0x9000, 0x0000)));

        Assert.Equal(RejectReason.AuthLockout, rig.Listener.LastResult.Reason);
        Assert.Equal(1UL, rig.Store.GetCounter("acme"));
    }

    [Fact]
    public void Submit_AuthenticatedReset_ClearsTheGuardAndRuns()
    {
        RelayRig rig = WithTwoFailures();
        rig.Relay.Forward("acme", Apdu("acme", "s", 4, null, end: true));

        ScriptRequest reset = ScriptMessageCodec.DecodeScriptRequest(Signer("acme").Sign(new ScriptRequest
        {
            ScriptId = "reset"u8.ToArray(), TenantId = "acme", Counter = 2, TargetAid = Hex.Parse(AcmeSd), Mode = ScriptMode.Batch,
            ResetAuthGuard = true, Steps = [Step(InitializeUpdate, 0x9000, 0x0000)],
        }));
        rig.Relay.Submit("acme", reset);

        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        Assert.Equal(0, rig.Store.GetAuthFailures("acme"));
        Assert.Contains(InitializeUpdate, rig.Transport.Log.Select(Hex.Of));
    }

    [Fact]
    public void Submit_UnauthenticatedReset_Refused_GuardKept()
    {
        RelayRig rig = WithTwoFailures();
        rig.Relay.Forward("acme", Apdu("acme", "s", 4, null, end: true));

        rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(ScriptMessageCodec.Encode(new ScriptRequest
        {
            ScriptId = "r"u8.ToArray(), TenantId = "acme", Counter = 2, TargetAid = Hex.Parse(AcmeSd), Mode = ScriptMode.Batch,
            ResetAuthGuard = true, Steps = [Step(InitializeUpdate)],
        })));

        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        Assert.Equal(2, rig.Store.GetAuthFailures("acme"));
    }

    [Fact]
    public void Failures_AreCountedPerTenant()
    {
        RelayRig rig = WithTwoFailures();
        Assert.Equal(0, rig.Store.GetAuthFailures("beta"));
        rig.Relay.Submit("beta", Script("beta", 1, "b", BetaSd, Step("825000000801020304050607080" + "0", 0x9000, 0x0000)));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Fact]
    public void Submit_OwnerClearsAnotherTenantsGuard_NonOwnerRefused()
    {
        RelayRig rig = WithTwoFailures(new RelayOptions { OwnerTenantId = "gamma" });
        rig.Relay.Forward("acme", Apdu("acme", "s", 4, null, end: true));
        ScriptRequest Reset(string tenant, string sd, ulong counter) => ScriptMessageCodec.DecodeScriptRequest(Signer(tenant).Sign(new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes("r" + tenant), TenantId = tenant, Counter = counter, TargetAid = Hex.Parse(sd),
            Mode = ScriptMode.Batch, ResetAuthGuardOf = "acme", Steps = [Step(tenant == "gamma" ? "80CA004200" : "82CA004200", 0x9000, 0x0000)],
        }));

        rig.Relay.Submit("beta", Reset("beta", BetaSd, 1));
        Assert.Equal(RejectReason.ForbiddenCommand, rig.Listener.LastResult.Reason);
        Assert.Equal((0UL, 2), (rig.Store.GetCounter("beta"), rig.Store.GetAuthFailures("acme")));

        rig.Relay.Submit("gamma", Reset("gamma", GammaSd, 1));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        Assert.Equal(0, rig.Store.GetAuthFailures("acme"));
    }
}
