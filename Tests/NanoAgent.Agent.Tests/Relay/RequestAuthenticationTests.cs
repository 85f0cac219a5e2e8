using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Host.Crypto;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// docs/protocol.md §3.9 and §4.1: every request is verified in the SE with the tenant's request key before anything is
/// read or stored; a rejection consumes nothing and nothing reaches the tenant's channel. Issue #12's attacks and variants.
/// </summary>
public class RequestAuthenticationTests
{
    private static ScriptRequest Plain(string tenant, ulong counter, string id, string sd, params ScriptStep[] steps) =>
        ScriptMessageCodec.DecodeScriptRequest(ScriptMessageCodec.Encode(new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes(id), TenantId = tenant, Counter = counter, TargetAid = Hex.Parse(sd),
            Mode = steps.Length == 0 ? ScriptMode.Interactive : ScriptMode.Batch, Steps = steps,
        }));

    private static ScriptRequest SignedBy(RequestSigner signer, string tenant, ulong counter, string id, string sd, params ScriptStep[] steps) =>
        ScriptMessageCodec.DecodeScriptRequest(signer.Sign(new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes(id), TenantId = tenant, Counter = counter, TargetAid = Hex.Parse(sd),
            Mode = steps.Length == 0 ? ScriptMode.Interactive : ScriptMode.Batch, Steps = steps,
        }));

    private static void AssertNothingConsumed(RelayRig rig, string tenant)
    {
        Assert.Equal(0UL, rig.Store.GetCounter(tenant));
        Assert.Empty(rig.Store.Runs());
        Assert.Empty(rig.Transport.Log);
    }

    [Fact]
    public void Submit_PlainRequestWithLargestCounter_NotAuthenticated_CounterUntouched()
    {
        // Issue #12 attack 1: a plain request with the largest counter would have burned beta's counter for good.
        var rig = new RelayRig();
        rig.Relay.Submit("beta", Plain("beta", ulong.MaxValue, "burn", BetaSd, Step("82CA004200")));

        Assert.Equal((ScriptOutcome.Rejected, RejectReason.NotAuthenticated), (rig.Listener.LastResult.Outcome, rig.Listener.LastResult.Reason));
        Assert.Equal("beta", rig.Listener.Results[^1].Tenant);
        AssertNothingConsumed(rig, "beta");
        Assert.Empty(rig.VerifierTransport.Log); // no authenticator: the SE is not even asked
        Assert.Null(rig.Store.FindResult("beta", "burn"u8.ToArray()));

        rig.Relay.Submit("beta", Script("beta", 1, "next", BetaSd, Step("82CA004200", 0x9000, 0x0000)));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Fact]
    public void Submit_ForgedExternalAuthenticateThreeTimes_NeverReachesTheSe()
    {
        // Issue #12 attack 2: INITIALIZE UPDATE + random EXTERNAL AUTHENTICATE without a key, three times.
        var rig = new RelayRig();
        for (int i = 1; i <= 3; i++)
        {
            rig.Relay.Submit("beta", Plain("beta", (ulong)i, "ea" + i, BetaSd, Step("8250000008" + "0102030405060708" + "00"), Step("86823300100102030405060708090A0B0C0D0E0F10")));
            Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        }

        AssertNothingConsumed(rig, "beta");
        Assert.Equal(0, rig.Store.GetAuthFailures("beta"));
    }

    [Fact]
    public void Submit_MacOfAnotherTenantsKey_NotAuthenticated()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("beta", SignedBy(Signer("beta", keyOf: "acme"), "beta", 1, "x", BetaSd, Step("82CA004200")));

        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "beta");
        Assert.Equal("6982", Hex.Of(VerifyAnswer(rig)));
    }

    [Fact]
    public void Submit_AcmesSignedRequestOnBetasTopic_TenantMismatchOrNotAuthenticated()
    {
        var rig = new RelayRig();

        // acme's genuine request published on beta's topic: it names acme (tenant mismatch) ...
        rig.Relay.Submit("beta", Script("acme", 1, "x", AcmeSd, Step(GetIinCh1)));
        Assert.Equal(RejectReason.TenantMismatch, rig.Listener.LastResult.Reason);

        // ... and rewritten to name beta, acme's MAC no longer holds (the tenant is in the MAC input and the bytes).
        rig.Relay.Submit("beta", SignedBy(Signer("acme"), "beta", 1, "y", BetaSd, Step("82CA004200")));
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "beta");
        AssertNothingConsumed(rig, "acme");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(16)]
    public void Submit_TruncatedMac_NotAuthenticatedWithoutAskingTheSe(int keep)
    {
        var rig = new RelayRig();
        ScriptRequest signed = Script("acme", 1, "t", AcmeSd, Step(GetIinCh1));
        signed.Authenticator = signed.Authenticator![..keep];
        rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(ScriptMessageCodec.Encode(signed)));

        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "acme");
        Assert.Empty(rig.VerifierTransport.Log);
    }

    [Fact]
    public void Submit_OneBitFlippedAfterSigning_NotAuthenticated()
    {
        var rig = new RelayRig();
        byte[] bytes = Signer("acme").Sign(new ScriptRequest
        {
            ScriptId = "f"u8.ToArray(), TenantId = "acme", Counter = 1, TargetAid = Hex.Parse(AcmeSd), Mode = ScriptMode.Batch, Steps = [Step(GetIinCh1)],
        });
        int p1 = Hex.Of(bytes).IndexOf(GetIinCh1, StringComparison.Ordinal) / 2 + 2;
        bytes[p1] ^= 0x01; // GET DATA '42' becomes '43': still a well-formed request
        rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(bytes));

        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "acme");
    }

    [Fact]
    public void Submit_SignedForAnotherDevice_NotAuthenticated()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", SignedBy(Signer("acme", device: "dev2"), "acme", 1, "d", AcmeSd, Step(GetIinCh1)));
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "acme");
    }

    [Fact]
    public void Submit_UnknownKeyVersion_NotAuthenticated()
    {
        var rig = new RelayRig();
        var signer = new RequestSigner(BouncyCastleAesFactory.Instance.CreateAes(RequestKey("acme"), 0, 16), 0x65, Device, "acme");
        rig.Relay.Submit("acme", SignedBy(signer, "acme", 1, "k", AcmeSd, Step(GetIinCh1)));

        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        Assert.Equal("6A88", Hex.Of(VerifyAnswer(rig)));
    }

    [Fact]
    public void Submit_ReplayedAuthenticatedRequest_AnsweredFromTheStoreOrRefusedAsReplay()
    {
        var rig = new RelayRig(new InMemoryRelayStore(1));
        ScriptRequest first = Script("acme", 5, "once", AcmeSd, Step(GetIinCh1));
        rig.Relay.Submit("acme", first);
        ScriptResult done = rig.Listener.LastResult;
        int commands = rig.Transport.Commands;

        // The same bytes again (a redelivery or a captured copy): the stored result, byte for byte; the SE sees nothing.
        rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(first.Payload!));
        Assert.Equal(ReportMessageCodec.Encode(done), ReportMessageCodec.Encode(rig.Listener.LastResult));
        Assert.Equal(commands, rig.Transport.Commands);

        // Once the result left the bounded store, the counter still refuses it.
        rig.Relay.Submit("acme", Script("acme", 6, "other", AcmeSd, Step(GetIinCh1)));
        rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(first.Payload!));
        Assert.Equal(RejectReason.ReplayedCounter, rig.Listener.LastResult.Reason);
        Assert.Equal(6UL, rig.Store.GetCounter("acme"));
    }

    [Fact]
    public void Submit_UnauthenticatedCopyOfAFinishedId_DoesNotGetItsStoredResult()
    {
        // Order of checks: the MAC is verified before the store is read.
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "done", AcmeSd, Step(GetIinCh1, data: true)));
        rig.Relay.Submit("acme", Plain("acme", 1, "done", AcmeSd, Step(GetIinCh1, data: true)));

        Assert.Equal((ScriptOutcome.Rejected, RejectReason.NotAuthenticated), (rig.Listener.LastResult.Outcome, rig.Listener.LastResult.Reason));
        Assert.Empty(rig.Listener.LastResult.Steps);
    }

    [Fact]
    public void Submit_CounterBeyondTheWindow_RefusedAndNothingConsumed()
    {
        var rig = new RelayRig(options: new RelayOptions { CounterWindow = 1000 });
        rig.Relay.Submit("acme", Script("acme", 1001, "far", AcmeSd, Step(GetIinCh1)));
        Assert.Equal(RejectReason.CounterOutOfWindow, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "acme");

        rig.Relay.Submit("acme", Script("acme", 1000, "edge", AcmeSd, Step(GetIinCh1)));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        rig.Relay.Submit("acme", Script("acme", 2001, "far2", AcmeSd, Step(GetIinCh1)));
        Assert.Equal(RejectReason.CounterOutOfWindow, rig.Listener.LastResult.Reason);
        rig.Relay.Submit("acme", Script("acme", 2000, "edge2", AcmeSd, Step(GetIinCh1)));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Fact]
    public void Submit_DefaultWindow_AcceptsUnixSecondsFromAFreshStore_RefusesTheLargestCounter()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", ulong.MaxValue, "max", AcmeSd, Step(GetIinCh1)));
        Assert.Equal(RejectReason.CounterOutOfWindow, rig.Listener.LastResult.Reason);

        rig.Relay.Submit("acme", Script("acme", (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "now", AcmeSd, Step(GetIinCh1)));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Fact]
    public void Submit_TooLarge_RefusedBeforeTheSeIsAsked()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "big", AcmeSd, Enumerable.Repeat(Step(GetIinCh1), 600).ToArray()));
        Assert.Equal(RejectReason.TooLarge, rig.Listener.LastResult.Reason);
        Assert.Empty(rig.VerifierTransport.Log);
    }

    [Fact]
    public void Submit_LargeScript_VerifiedInSeveralChunks()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("beta", Script("beta", 1, "many", BetaSd, Enumerable.Repeat(Step("82CA004200", 0x9000, 0x0000), 300).ToArray()));

        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        List<string> verify = rig.VerifierTransport.Log.Select(Hex.Of).Where(c => c[2..4] == "3A").ToList();
        Assert.True(verify.Count > 10, $"{verify.Count} chunks");
        Assert.Equal("01", verify[0][4..6]);
        Assert.Equal("80", verify[^1][4..6]);
        Assert.All(verify[1..^1], c => Assert.Equal("00", c[4..6]));
    }

    [Fact]
    public void Submit_VerifierChannel_IsOpenedAndClosedAroundEachVerification()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "v", AcmeSd, Step(GetIinCh1)));

        // MANAGE CHANNEL open (card picks 01: acme's own channel is not open yet), SELECT the verifier, VERIFY, close.
        List<string> log = rig.VerifierTransport.Log.Select(Hex.Of).ToList();
        Assert.Equal("0070000001", log[0]);
        Assert.Equal("01A4040008F06E616E6F525601", log[1]);
        Assert.StartsWith("813A8100", log[2]);
        Assert.Equal("00708001", log[^1]);
    }

    [Fact]
    public void Forward_UnauthenticatedEnd_RefusedAndTheSessionGoesOn()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "sess", AcmeSd));
        int commands = rig.Transport.Commands;

        // An attacker tries to end (or drive) acme's session with plain E2s; an E2 MAC'd by beta fares no better.
        rig.Relay.Forward("acme", ScriptMessageCodec.DecodeApduRequest(ScriptMessageCodec.Encode(new ApduRequest { ScriptId = "sess"u8.ToArray(), Sequence = 1, End = true })));
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResponse.Reason);
        rig.Relay.Forward("acme", ScriptMessageCodec.DecodeApduRequest(Signer("beta").Sign(new ApduRequest { ScriptId = "sess"u8.ToArray(), Sequence = 1, Command = Hex.Parse(GetIinCh1) })));
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResponse.Reason);
        Assert.Equal(commands, rig.Transport.Commands);
        Assert.Equal(1, rig.Relay.OpenSessionCount);

        rig.Relay.Forward("acme", Apdu("acme", "sess", 1, GetIinCh1, end: true));
        Assert.Equal((ScriptOutcome.Completed, 1), (rig.Listener.LastResult.Outcome, rig.Listener.LastResult.StepCount));
    }

    // The status word the card gave to the last VERIFY REQUEST.
    private static byte[] VerifyAnswer(RelayRig rig)
    {
        int last = rig.VerifierTransport.Log.FindLastIndex(c => c[1] == 0x3A);
        return rig.VerifierTransport.Answers[last][^2..];
    }
}
