using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// docs/protocol.md §4.5: after <see cref="RelayOptions.AuthFailureLimit"/> (1) consecutive failed EXTERNAL AUTHENTICATEs on
/// a tenant's SD the relay withholds its INITIALIZE UPDATEs; an authenticated reset grants one attempt, which counts; only a
/// success clears the count; no attempt goes out whose failure would reach <see cref="RelayOptions.CardAuthFailureLimit"/>
/// (3). The rig's SDs have no SCP03 keys, so every EXTERNAL AUTHENTICATE fails at the card (GuardMirrorsTheCardTests runs
/// real sessions).
/// </summary>
public class ExternalAuthGuardTests
{
    // GP Amd D §7.1.1 INITIALIZE UPDATE and §7.1.2 EXTERNAL AUTHENTICATE (the relay puts them on the session's channel).
    private const string InitializeUpdate = "815000000801020304050607080" + "0";
    private const string ExternalAuthenticate = "85823300100102030405060708090A0B0C0D0E0F10";

    private static RelayRig WithOneFailure(RelayOptions? options = null)
    {
        var rig = new RelayRig(options: options);
        rig.Relay.Submit("acme", Script("acme", 1, "s", AcmeSd));
        rig.Relay.Forward("acme", Apdu("acme", "s", 1, InitializeUpdate));
        rig.Relay.Forward("acme", Apdu("acme", "s", 2, ExternalAuthenticate));
        Assert.NotEqual("9000", Hex.Of(rig.Listener.LastResponse.Response![^2..]));
        return rig;
    }

    private static ScriptRequest Reset(string tenant, ulong counter, string id, params ScriptStep[] steps) =>
        ScriptMessageCodec.DecodeScriptRequest(Signer(tenant).Sign(new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes(id), TenantId = tenant, Counter = counter, TargetAid = Hex.Parse(AcmeSd),
            Mode = ScriptMode.Batch, ResetAuthGuard = true, Steps = steps,
        }));

    [Fact]
    public void Forward_AfterAFailedExternalAuthenticate_InitializeUpdateWithheld()
    {
        RelayRig rig = WithOneFailure();
        Assert.Equal(1, rig.Store.GetAuthFailures("acme"));
        int commands = rig.Transport.Commands;

        rig.Relay.Forward("acme", Apdu("acme", "s", 3, InitializeUpdate));

        Assert.Equal((3, RejectReason.AuthLockout), (rig.Listener.LastResponse.Sequence, rig.Listener.LastResponse.Reason));
        Assert.Equal(commands, rig.Transport.Commands);

        // Other commands still go through; the session goes on.
        rig.Relay.Forward("acme", Apdu("acme", "s", 3, GetIinCh1, end: true));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Fact]
    public void Submit_BatchWithInitializeUpdateWhileLocked_RejectedCounterKept_SurvivesARestart()
    {
        RelayRig rig = WithOneFailure();
        rig.Relay.Forward("acme", Apdu("acme", "s", 3, null, end: true));
        rig.NewRelay(); // an agent restart on the same store

        rig.Relay.Submit("acme", Script("acme", 2, "b", AcmeSd, Step(InitializeUpdate, 0x9000, 0x0000)));

        Assert.Equal(RejectReason.AuthLockout, rig.Listener.LastResult.Reason);
        Assert.Equal(1UL, rig.Store.GetCounter("acme"));
    }

    [Fact]
    public void Submit_AuthenticatedReset_GrantsOneAttemptThatCounts_ThenNoneThatCouldBlock()
    {
        RelayRig rig = WithOneFailure();
        rig.Relay.Forward("acme", Apdu("acme", "s", 3, null, end: true));

        // The reset grants one attempt: its INITIALIZE UPDATE goes out; the count is kept (only a success clears it).
        rig.Relay.Submit("acme", Reset("acme", 2, "reset", Step(InitializeUpdate, 0x9000, 0x0000), Step(ExternalAuthenticate, 0x9000, 0x0000)));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        Assert.Contains(InitializeUpdate, rig.Transport.Log.Select(Hex.Of));

        // That attempt failed: 2 failures, one below the card's 3. Another reset cannot grant anything now.
        Assert.Equal(2, rig.Store.GetAuthFailures("acme"));
        rig.Relay.Submit("acme", Reset("acme", 3, "again", Step(InitializeUpdate, 0x9000, 0x0000)));
        Assert.Equal(RejectReason.AuthLockout, rig.Listener.LastResult.Reason);
        Assert.Equal((2UL, 2), (rig.Store.GetCounter("acme"), rig.Store.GetAuthFailures("acme")));
    }

    [Fact]
    public void Submit_ResetTwice_StillOneAttempt()
    {
        RelayRig rig = WithOneFailure();
        rig.Relay.Forward("acme", Apdu("acme", "s", 3, null, end: true));
        rig.Relay.Submit("acme", Reset("acme", 2, "r1", Step(GetIinCh1)));
        rig.Relay.Submit("acme", Reset("acme", 3, "r2", Step(GetIinCh1)));

        Assert.Equal(1 | AuthGuardState.GrantedBit, rig.Store.GetAuthFailures("acme"));
    }

    [Fact]
    public void Submit_BatchWhoseFirstAuthenticationFails_StopsBeforeItsNextInitializeUpdate()
    {
        // A script holding two attempts: the first one's failure trips the guard, so the second is never sent.
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "two", AcmeSd,
            Step(InitializeUpdate, 0x9000, 0x0000), Step(ExternalAuthenticate, 0x9000, 0x0000), Step(InitializeUpdate, 0x9000, 0x0000), Step(GetIinCh1)));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Failed, 2, 2), (result.Outcome, result.FailedStep, result.Steps.Length));
        Assert.Single(rig.Transport.Log.Select(Hex.Of), c => c.Substring(2, 2) == "50");
        Assert.Equal(1, rig.Store.GetAuthFailures("acme"));
    }

    [Fact]
    public void Submit_UnauthenticatedReset_Refused_GuardKept()
    {
        RelayRig rig = WithOneFailure();
        rig.Relay.Forward("acme", Apdu("acme", "s", 3, null, end: true));

        rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(ScriptMessageCodec.Encode(new ScriptRequest
        {
            ScriptId = "r"u8.ToArray(), TenantId = "acme", Counter = 2, TargetAid = Hex.Parse(AcmeSd), Mode = ScriptMode.Batch,
            ResetAuthGuard = true, Steps = [Step(InitializeUpdate)],
        })));

        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        Assert.Equal(1, rig.Store.GetAuthFailures("acme"));
    }

    [Fact]
    public void Failures_AreCountedPerTenant()
    {
        RelayRig rig = WithOneFailure();
        Assert.Equal(0, rig.Store.GetAuthFailures("beta"));
        rig.Relay.Submit("beta", Script("beta", 1, "b", BetaSd, Step("825000000801020304050607080" + "0", 0x9000, 0x0000)));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Fact]
    public void Submit_OwnerResetsAnotherTenantsGuard_NonOwnerRefused()
    {
        RelayRig rig = WithOneFailure(new RelayOptions { OwnerTenantId = "gamma" });
        rig.Relay.Forward("acme", Apdu("acme", "s", 3, null, end: true));
        ScriptRequest Reset(string tenant, string sd, ulong counter) => ScriptMessageCodec.DecodeScriptRequest(Signer(tenant).Sign(new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes("r" + tenant), TenantId = tenant, Counter = counter, TargetAid = Hex.Parse(sd),
            Mode = ScriptMode.Batch, ResetAuthGuardOf = "acme", Steps = [Step("80CA004200", 0x9000, 0x0000)],
        }));

        rig.Relay.Submit("beta", Reset("beta", BetaSd, 1));
        Assert.Equal(RejectReason.ForbiddenCommand, rig.Listener.LastResult.Reason);
        Assert.Equal((0UL, 1), (rig.Store.GetCounter("beta"), rig.Store.GetAuthFailures("acme")));

        // The owner's reset grants acme one attempt, like acme's own; the count stays.
        rig.Relay.Submit("gamma", Reset("gamma", GammaSd, 1));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        Assert.Equal(1 | AuthGuardState.GrantedBit, rig.Store.GetAuthFailures("acme"));
        rig.Relay.Submit("acme", Script("acme", 2, "go", AcmeSd, Step(InitializeUpdate, 0x9000, 0x0000)));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }
}
