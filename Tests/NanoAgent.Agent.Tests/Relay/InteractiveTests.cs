using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tests.Fakes;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

public class InteractiveTests
{
    private static readonly byte[] Session = "sess"u8.ToArray();

    private static RelayRig Opened()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "sess", AcmeSd));
        return rig;
    }

    private static ApduRequest Apdu(int sequence, string? apdu, bool end = false) => ApduFor(null, sequence, apdu, end);

    private static ApduRequest ApduFor(string? session, int sequence, string? apdu, bool end = false) =>
        ScriptMessageCodec.DecodeApduRequest(Signer("acme").Sign(new ApduRequest
        {
            ScriptId = session is null ? Session : System.Text.Encoding.ASCII.GetBytes(session), Sequence = sequence,
            Command = apdu is null ? null : Hex.Parse(apdu), End = end,
        }));

    [Fact]
    public void Open_SelectsTheSdAndAnswersSequenceZeroWithItsFci()
    {
        var rig = Opened();

        ApduResponse opened = rig.Listener.LastResponse;
        Assert.Equal(0, opened.Sequence);

        // GPC v2.3.1 §11.9.3.1: FCI '6F' { '84' AID, 'A5' { '9F65' 'FF' } } of the virtual SD.
        Assert.Equal("6F108408" + AcmeSd + "A5049F6501FF9000", Hex.Of(opened.Response!));
        Assert.Empty(rig.Listener.Results);
    }

    [Fact]
    public void Forward_RoundTrip_AnswersEachApduThenReportsTheSession()
    {
        var rig = Opened();
        rig.Relay.Forward("acme", Apdu(1, GetIinCh1));
        Assert.Equal((1, "42046E616E6F9000"), (rig.Listener.LastResponse.Sequence, Hex.Of(rig.Listener.LastResponse.Response!)));

        rig.Relay.Forward("acme", Apdu(2, "81CA004500", end: true));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Completed, 2), (result.Outcome, result.StepCount));
        Assert.Equal([0, 1], result.Steps.Select(s => s.Index));
        Assert.Equal("00708001", Hex.Of(rig.Transport.Log[^1]));
        Assert.Empty(rig.Store.Runs());
    }

    [Fact]
    public void Forward_RedeliveredRequest_AnsweredAgainWithoutTouchingTheSe()
    {
        var rig = Opened();
        rig.Relay.Forward("acme", Apdu(1, GetIinCh1));
        int commands = rig.Transport.Commands;

        rig.Relay.Forward("acme", Apdu(1, GetIinCh1));

        Assert.Equal(commands, rig.Transport.Commands);
        Assert.Equal(Hex.Of(rig.Listener.Responses[1].Response.Response!), Hex.Of(rig.Listener.Responses[2].Response.Response!));
    }

    [Theory]
    [InlineData("01A4040008" + BetaSd + "00", RejectReason.ForbiddenSelect)]
    [InlineData("00700002", RejectReason.ForbiddenCommand)]
    [InlineData("A2CA004200", RejectReason.InvalidClass)]
    public void Forward_ForbiddenApdu_RefusedAndTheSessionGoesOn(string apdu, RejectReason reason)
    {
        var rig = Opened();
        int commands = rig.Transport.Commands;

        rig.Relay.Forward("acme", Apdu(1, apdu));

        Assert.Equal((reason, commands), (rig.Listener.LastResponse.Reason, rig.Transport.Commands));
        rig.Relay.Forward("acme", Apdu(1, GetIinCh1));
        Assert.Equal(RejectReason.None, rig.Listener.LastResponse.Reason);
    }

    [Fact]
    public void Forward_OutOfSequence_Refused()
    {
        var rig = Opened();
        rig.Relay.Forward("acme", Apdu(3, GetIinCh1));
        Assert.Equal(RejectReason.Malformed, rig.Listener.LastResponse.Reason);
    }

    [Fact]
    public void Forward_WithoutSession_Refused()
    {
        var rig = new RelayRig();
        rig.Relay.Forward("acme", Apdu(1, GetIinCh1));
        Assert.Equal(RejectReason.NoSession, rig.Listener.LastResponse.Reason);
        Assert.Equal(0, rig.Transport.Commands);
    }

    [Fact]
    public void ExpireIdleSessions_AfterTimeout_ClosesWithIdleTimeout()
    {
        var rig = Opened();
        rig.Relay.Forward("acme", Apdu(1, GetIinCh1));
        rig.Clock.Sleep(59_000);
        Assert.Equal(0, rig.Relay.ExpireIdleSessions());
        rig.Clock.Sleep(2_000);

        Assert.Equal(1, rig.Relay.ExpireIdleSessions());

        Assert.Equal((ScriptOutcome.IdleTimeout, 1), (rig.Listener.LastResult.Outcome, rig.Listener.LastResult.Steps.Length));
        ScriptResult closed = rig.Listener.LastResult;
        rig.Relay.Forward("acme", Apdu(2, GetIinCh1));
        Assert.NotSame(closed, rig.Listener.LastResult); // answered again with the session's stored result
        Assert.Equal(ReportMessageCodec.Encode(closed), ReportMessageCodec.Encode(rig.Listener.LastResult));
        rig.Relay.Forward("acme", ApduFor("other", 1, GetIinCh1));
        Assert.Equal(RejectReason.NoSession, rig.Listener.LastResponse.Reason); // a session id never opened
    }

    [Fact]
    public void Submit_BatchWhileSessionOpen_RejectedAsBusy()
    {
        var rig = Opened();
        rig.Relay.Submit("acme", Script("acme", 2, "b", AcmeSd, Step(GetIinCh1)));
        Assert.Equal(RejectReason.Busy, rig.Listener.LastResult.Reason);
    }

    [Fact]
    public void Recover_AfterCutMidSession_ReportsTheApdusThatReachedTheSe()
    {
        var rig = Opened();
        rig.Relay.Forward("acme", Apdu(1, GetIinCh1));
        rig.Transport.FailAt = rig.Transport.Commands + 1;
        Assert.Throws<PowerCutException>(() => rig.Relay.Forward("acme", Apdu(2, "81CA004500")));

        rig.NewRelay();
        rig.Relay.Recover();

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal(ScriptOutcome.Interrupted, result.Outcome);
        Assert.Equal([StepOutcome.Passed, StepOutcome.SentUnknown], result.Steps.Select(s => s.Outcome));
    }
}
