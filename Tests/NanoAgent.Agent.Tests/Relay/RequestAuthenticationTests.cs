using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Host.Crypto;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// docs/protocol.md §3.9 and §4.1: every request is verified in the SE with the tenant's request key before anything is
/// read or stored; a rejection consumes nothing and nothing reaches the tenant's channel. Issue #12's attacks and variants.
/// The theories run on both cards (<see cref="RelayCard"/>): the GP card's request verifier applet and the SE05x's MACOneShot
/// with the tenant's request key object; the facts are the GP verifier's own (chunks, its logical channel).
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

    public static TheoryData<string> Cards => RelayCard.Cards;

    private static void AssertNothingConsumed(RelayCard rig, string tenant)
    {
        Assert.Equal(0UL, rig.Store.GetCounter(tenant));
        Assert.Empty(rig.Store.Runs());
        Assert.Equal(0, rig.TenantCommands);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_PlainRequestWithLargestCounter_NotAuthenticated_CounterUntouched(string card)
    {
        // Issue #12 attack 1: a plain request with the largest counter would have burned beta's counter for good.
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("beta", Plain("beta", ulong.MaxValue, "burn", rig.Target("beta"), rig.Harmless()));

        Assert.Equal((ScriptOutcome.Rejected, RejectReason.NotAuthenticated), (rig.Listener.LastResult.Outcome, rig.Listener.LastResult.Reason));
        Assert.Equal("beta", rig.Listener.Results[^1].Tenant);
        AssertNothingConsumed(rig, "beta");
        Assert.Equal(0, rig.Verifications); // no authenticator: the SE is not even asked
        Assert.Null(rig.Store.FindResult("beta", "burn"u8.ToArray()));

        rig.Relay.Submit("beta", rig.Script("beta", 1, "next", rig.Harmless()));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_ForgedExternalAuthenticateThreeTimes_NeverReachesTheSe(string card)
    {
        // Issue #12 attack 2: INITIALIZE UPDATE + random EXTERNAL AUTHENTICATE without a key, three times.
        var rig = RelayCard.Create(card);
        for (int i = 1; i <= 3; i++)
        {
            rig.Relay.Submit("beta", Plain("beta", (ulong)i, "ea" + i, rig.Target("beta"), Step(rig.InitializeUpdate), Step(rig.ExternalAuthenticate)));
            Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        }

        AssertNothingConsumed(rig, "beta");
        Assert.Equal(0, rig.Store.GetAuthFailures("beta"));
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_MacOfAnotherTenantsKey_NotAuthenticated(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("beta", SignedBy(Signer("beta", keyOf: "acme"), "beta", 1, "x", rig.Target("beta"), rig.Harmless()));

        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "beta");
        Assert.Equal(rig.WrongMacAnswer, rig.LastVerifyAnswer);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_AcmesSignedRequestOnBetasTopic_TenantMismatchOrNotAuthenticated(string card)
    {
        var rig = RelayCard.Create(card);

        // acme's genuine request published on beta's topic: it names acme (tenant mismatch) ...
        rig.Relay.Submit("beta", rig.Script("acme", 1, "x", rig.Harmless()));
        Assert.Equal(RejectReason.TenantMismatch, rig.Listener.LastResult.Reason);

        // ... and rewritten to name beta, acme's MAC no longer holds (the tenant is in the MAC input and the bytes).
        rig.Relay.Submit("beta", SignedBy(Signer("acme"), "beta", 1, "y", rig.Target("beta"), rig.Harmless()));
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "beta");
        AssertNothingConsumed(rig, "acme");
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_TruncatedMac_NotAuthenticatedWithoutAskingTheSe(string card)
    {
        foreach (int keep in new[] { 1, 8, 16 })
        {
            var rig = RelayCard.Create(card);
            ScriptRequest signed = rig.Script("acme", 1, "t", rig.Harmless());
            signed.Authenticator = signed.Authenticator![..keep];
            rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(ScriptMessageCodec.Encode(signed)));

            Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
            AssertNothingConsumed(rig, "acme");
            Assert.Equal(0, rig.Verifications);
        }
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_OneBitFlippedAfterSigning_NotAuthenticated(string card)
    {
        var rig = RelayCard.Create(card);
        byte[] bytes = Signer("acme").Sign(new ScriptRequest
        {
            ScriptId = "f"u8.ToArray(), TenantId = "acme", Counter = 1, TargetAid = Hex.Parse(rig.Target("acme")), Mode = ScriptMode.Batch, Steps = [Step(rig.HarmlessApdu)],
        });
        int p1 = Hex.Of(bytes).IndexOf(rig.HarmlessApdu, StringComparison.Ordinal) / 2 + 2;
        bytes[p1] ^= 0x01; // P1 changed: still a well-formed request
        rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(bytes));

        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "acme");
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_SignedForAnotherDevice_NotAuthenticated(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", SignedBy(Signer("acme", device: "dev2"), "acme", 1, "d", rig.Target("acme"), rig.Harmless()));
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "acme");
    }

    [Theory]
    [InlineData("gp", "6A88")]         // no key set of that version in the SD
    [InlineData("se05x", "6985")]      // no key object acme | 65 (the virtual SE05x's answer for a missing object)
    public void Submit_UnknownKeyVersion_NotAuthenticated(string card, string answer)
    {
        var rig = RelayCard.Create(card);
        var signer = new RequestSigner(BouncyCastleAesFactory.Instance.CreateAes(RequestKey("acme"), 0, 16), 0x65, Device, "acme");
        rig.Relay.Submit("acme", SignedBy(signer, "acme", 1, "k", rig.Target("acme"), rig.Harmless()));

        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        Assert.Equal(answer, rig.LastVerifyAnswer);
        AssertNothingConsumed(rig, "acme");
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_ReplayedAuthenticatedRequest_AnsweredFromTheStoreOrRefusedAsReplay(string card)
    {
        var rig = RelayCard.Create(card, new InMemoryRelayStore(1));
        ScriptRequest first = rig.Script("acme", 5, "once", rig.Harmless());
        rig.Relay.Submit("acme", first);
        ScriptResult done = rig.Listener.LastResult;
        int commands = rig.TenantCommands;

        // The same bytes again (a redelivery or a captured copy): the stored result, byte for byte; the SE sees nothing.
        rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(first.Payload!));
        Assert.Equal(ReportMessageCodec.Encode(done), ReportMessageCodec.Encode(rig.Listener.LastResult));
        Assert.Equal(commands, rig.TenantCommands);

        // Once the result left the bounded store, the counter still refuses it.
        rig.Relay.Submit("acme", rig.Script("acme", 6, "other", rig.Harmless()));
        rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(first.Payload!));
        Assert.Equal(RejectReason.ReplayedCounter, rig.Listener.LastResult.Reason);
        Assert.Equal(6UL, rig.Store.GetCounter("acme"));
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_UnauthenticatedCopyOfAFinishedId_DoesNotGetItsStoredResult(string card)
    {
        // Order of checks: the MAC is verified before the store is read.
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", rig.Script("acme", 1, "done", Step(rig.HarmlessApdu, 0x9000, 0x0000, data: true)));
        rig.Relay.Submit("acme", Plain("acme", 1, "done", rig.Target("acme"), Step(rig.HarmlessApdu, 0x9000, 0x0000, data: true)));

        Assert.Equal((ScriptOutcome.Rejected, RejectReason.NotAuthenticated), (rig.Listener.LastResult.Outcome, rig.Listener.LastResult.Reason));
        Assert.Empty(rig.Listener.LastResult.Steps);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_CounterBeyondTheWindow_RefusedAndNothingConsumed(string card)
    {
        var rig = RelayCard.Create(card, options: new RelayOptions { CounterWindow = 1000 });
        rig.Relay.Submit("acme", rig.Script("acme", 1001, "far", rig.Harmless()));
        Assert.Equal(RejectReason.CounterOutOfWindow, rig.Listener.LastResult.Reason);
        AssertNothingConsumed(rig, "acme");

        rig.Relay.Submit("acme", rig.Script("acme", 1000, "edge", rig.Harmless()));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        rig.Relay.Submit("acme", rig.Script("acme", 2001, "far2", rig.Harmless()));
        Assert.Equal(RejectReason.CounterOutOfWindow, rig.Listener.LastResult.Reason);
        rig.Relay.Submit("acme", rig.Script("acme", 2000, "edge2", rig.Harmless()));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_DefaultWindow_AcceptsUnixSecondsFromAFreshStore_RefusesTheLargestCounter(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", rig.Script("acme", ulong.MaxValue, "max", rig.Harmless()));
        Assert.Equal(RejectReason.CounterOutOfWindow, rig.Listener.LastResult.Reason);

        rig.Relay.Submit("acme", rig.Script("acme", (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "now", rig.Harmless()));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_TooLarge_RefusedBeforeTheSeIsAsked(string card)
    {
        var rig = RelayCard.Create(card);
        int steps = (rig.Tenants.Find("acme").MaxScriptBytes / (rig.HarmlessApdu.Length / 2)) + 1;
        rig.Relay.Submit("acme", rig.Script("acme", 1, "big", Enumerable.Repeat(rig.Harmless(), steps).ToArray()));
        Assert.Equal(RejectReason.TooLarge, rig.Listener.LastResult.Reason);
        Assert.Equal(0, rig.Verifications);
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

    [Theory]
    [MemberData(nameof(Cards))]
    public void Forward_UnauthenticatedEnd_RefusedAndTheSessionGoesOn(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", rig.Script("acme", 1, "sess"));
        int commands = rig.TenantCommands;

        // An attacker tries to end (or drive) acme's session with plain E2s; an E2 MAC'd by beta fares no better.
        rig.Relay.Forward("acme", ScriptMessageCodec.DecodeApduRequest(ScriptMessageCodec.Encode(new ApduRequest { ScriptId = "sess"u8.ToArray(), Sequence = 1, End = true })));
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResponse.Reason);
        rig.Relay.Forward("acme", ScriptMessageCodec.DecodeApduRequest(Signer("beta").Sign(new ApduRequest { ScriptId = "sess"u8.ToArray(), Sequence = 1, Command = Hex.Parse(rig.HarmlessApdu) })));
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResponse.Reason);
        Assert.Equal(commands, rig.TenantCommands);
        Assert.Equal(1, rig.Relay.OpenSessionCount);

        rig.Relay.Forward("acme", Apdu("acme", "sess", 1, rig.HarmlessApdu, end: true));
        Assert.Equal((ScriptOutcome.Completed, 1), (rig.Listener.LastResult.Outcome, rig.Listener.LastResult.StepCount));
    }

    // The status word the card gave to the last VERIFY REQUEST.
    private static byte[] VerifyAnswer(RelayRig rig)
    {
        int last = rig.VerifierTransport.Log.FindLastIndex(c => c[1] == 0x3A);
        return rig.VerifierTransport.Answers[last][^2..];
    }
}
