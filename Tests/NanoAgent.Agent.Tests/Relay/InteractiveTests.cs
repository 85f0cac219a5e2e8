using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tests.Fakes;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// docs/protocol.md §5, interactive sessions, on both cards (<see cref="RelayCard"/>): the GP card, where a session is a
/// logical channel with the tenant's SD selected, and the SE05x, where it is an applet session the agent opens with the
/// tenant's authentication object (§4.6).
/// </summary>
public class InteractiveTests
{
    private static readonly byte[] Session = "sess"u8.ToArray();

    public static TheoryData<string> Cards => RelayCard.Cards;

    private static RelayCard Opened(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", rig.Script("acme", 1, "sess"));
        return rig;
    }

    private static ApduRequest Apdu(int sequence, string? apdu, bool end = false) => ApduFor(null, sequence, apdu, end);

    private static ApduRequest ApduFor(string? session, int sequence, string? apdu, bool end = false) =>
        ScriptMessageCodec.DecodeApduRequest(Signer("acme").Sign(new ApduRequest
        {
            ScriptId = session is null ? Session : System.Text.Encoding.ASCII.GetBytes(session), Sequence = sequence,
            Command = apdu is null ? null : Hex.Parse(apdu), End = end,
        }));

    [Theory]
    [MemberData(nameof(Cards))]
    public void Open_SelectsTheSdAndAnswersSequenceZeroWithItsFci(string card)
    {
        var rig = Opened(card);

        ApduResponse opened = rig.Listener.LastResponse;
        Assert.Equal(0, opened.Sequence);

        // GP: FCI '6F' { '84' AID, 'A5' { '9F65' 'FF' } } of the virtual SD; SE05x: the applet's version.
        Assert.Equal(rig.OpeningAnswer("acme"), Hex.Of(opened.Response!));
        Assert.DoesNotContain(rig.Listener.Results, r => r.Tenant == "acme");
    }

    [Fact]
    public void Forward_RoundTrip_AnswersEachApduThenReportsTheSession_Gp()
    {
        var rig = Opened("gp");
        rig.Relay.Forward("acme", Apdu(1, GetIinCh1));
        Assert.Equal((1, "42046E616E6F9000"), (rig.Listener.LastResponse.Sequence, Hex.Of(rig.Listener.LastResponse.Response!)));
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Forward_RoundTrip_AnswersEachApduThenReportsTheSession(string card)
    {
        var rig = Opened(card);
        rig.Relay.Forward("acme", Apdu(1, rig.HarmlessApdu));
        Assert.Equal(1, rig.Listener.LastResponse.Sequence);
        Assert.Equal(RejectReason.None, rig.Listener.LastResponse.Reason);

        rig.Relay.Forward("acme", Apdu(2, rig.HarmlessApdu, end: true));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Completed, 2), (result.Outcome, result.StepCount));
        Assert.Equal([0, 1], result.Steps.Select(s => s.Index));
        Assert.True(rig.EndsSession(rig.Transport.Log[^1]), Hex.Of(rig.Transport.Log[^1]));
        Assert.Empty(rig.Store.Runs());
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Forward_RedeliveredRequest_AnsweredAgainWithoutTouchingTheSe(string card)
    {
        var rig = Opened(card);
        rig.Relay.Forward("acme", Apdu(1, rig.HarmlessApdu));
        int commands = rig.TenantCommands;
        int responses = rig.Listener.Responses.Count;

        rig.Relay.Forward("acme", Apdu(1, rig.HarmlessApdu));

        Assert.Equal(commands, rig.TenantCommands);
        Assert.Equal(Hex.Of(rig.Listener.Responses[responses - 1].Response.Response!), Hex.Of(rig.Listener.Responses[responses].Response.Response!));
    }

    [Theory]
    [InlineData("gp", "01A4040008" + BetaSd + "00", RejectReason.ForbiddenSelect)]
    [InlineData("gp", "00700002", RejectReason.ForbiddenCommand)]
    [InlineData("gp", "A2CA004200", RejectReason.InvalidClass)]
    [InlineData("se05x", "00A4040010A000000396545300000001030000000000", RejectReason.ForbiddenSelect)]
    [InlineData("se05x", "00700002", RejectReason.ForbiddenCommand)]
    [InlineData("se05x", "810400490441020010", RejectReason.InvalidClass)]
    [InlineData("se05x", "80040000020000", RejectReason.ForbiddenCommand)]
    public void Forward_ForbiddenApdu_RefusedAndTheSessionGoesOn(string card, string apdu, RejectReason reason)
    {
        var rig = Opened(card);
        int commands = rig.TenantCommands;

        rig.Relay.Forward("acme", Apdu(1, apdu));

        Assert.Equal((reason, commands), (rig.Listener.LastResponse.Reason, rig.TenantCommands));
        rig.Relay.Forward("acme", Apdu(1, rig.HarmlessApdu));
        Assert.Equal(RejectReason.None, rig.Listener.LastResponse.Reason);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Forward_OutOfSequence_Refused(string card)
    {
        var rig = Opened(card);
        rig.Relay.Forward("acme", Apdu(3, rig.HarmlessApdu));
        Assert.Equal(RejectReason.Malformed, rig.Listener.LastResponse.Reason);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Forward_WithoutSession_Refused(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Forward("acme", Apdu(1, rig.HarmlessApdu));
        Assert.Equal(RejectReason.NoSession, rig.Listener.LastResponse.Reason);
        Assert.Equal(0, rig.TenantCommands);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void ExpireIdleSessions_AfterTimeout_ClosesWithIdleTimeout(string card)
    {
        var rig = Opened(card);
        rig.Relay.Forward("acme", Apdu(1, rig.HarmlessApdu));
        rig.Clock.Sleep(59_000);
        Assert.Equal(0, rig.Relay.ExpireIdleSessions());
        rig.Clock.Sleep(2_000);

        Assert.Equal(1, rig.Relay.ExpireIdleSessions());

        Assert.Equal((ScriptOutcome.IdleTimeout, 1), (rig.Listener.LastResult.Outcome, rig.Listener.LastResult.Steps.Length));
        Assert.True(rig.EndsSession(rig.Transport.Log[^1]), "the SE's session ended with the relay's");
        ScriptResult closed = rig.Listener.LastResult;
        rig.Relay.Forward("acme", Apdu(2, rig.HarmlessApdu));
        Assert.NotSame(closed, rig.Listener.LastResult); // answered again with the session's stored result
        Assert.Equal(ReportMessageCodec.Encode(closed), ReportMessageCodec.Encode(rig.Listener.LastResult));
        rig.Relay.Forward("acme", ApduFor("other", 1, rig.HarmlessApdu));
        Assert.Equal(RejectReason.NoSession, rig.Listener.LastResponse.Reason); // a session id never opened
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_BatchWhileSessionOpen_RejectedAsBusy(string card)
    {
        var rig = Opened(card);
        rig.Relay.Submit("acme", rig.Script("acme", 2, "b", rig.Harmless()));
        Assert.Equal(RejectReason.Busy, rig.Listener.LastResult.Reason);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Recover_AfterCutMidSession_ReportsTheApdusThatReachedTheSe(string card)
    {
        var rig = Opened(card);
        rig.Relay.Forward("acme", Apdu(1, rig.HarmlessApdu));
        rig.CutAtNextTenantCommand();
        Assert.Throws<PowerCutException>(() => rig.Relay.Forward("acme", Apdu(2, rig.HarmlessApdu)));

        rig.Transport.FailAt = -1;
        rig.NewRelay();
        rig.Relay.Recover();

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal(ScriptOutcome.Interrupted, result.Outcome);
        Assert.Equal([StepOutcome.Passed, StepOutcome.SentUnknown], result.Steps.Select(s => s.Outcome));
    }
}
