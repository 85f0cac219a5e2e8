using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Security;
using NanoAgent.Agent.Tests.Fakes;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Security;

/// <summary>
/// Every refusal of the relay leaves one security line naming the device, the tenant, what was refused and why
/// (docs/threat-model.md, "Security events"), and a flood of forged requests leaves a bounded number of lines.
/// </summary>
public class RelaySecurityEventTests
{
    private readonly RelayRig _rig = new();
    private readonly LineSink _sink = new();
    private readonly SecurityLog _log;

    public RelaySecurityEventTests()
    {
        _log = new SecurityLog(_sink, _rig.Clock, Device, SecurityLog.DefaultLinesPerWindow);
        _rig.Relay.SecurityLog = _log;
    }

    private static ScriptRequest Unsigned(string tenant, ulong counter, string id) =>
        ScriptMessageCodec.DecodeScriptRequest(ScriptMessageCodec.Encode(new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes(id), TenantId = tenant, Counter = counter, TargetAid = Hex.Parse(AcmeSd),
            Mode = ScriptMode.Batch, Steps = [Step(GetIinCh1)],
        }));

    [Theory]
    [InlineData("forged", "not authenticated")]
    [InlineData("replayed", "replayed counter")]
    [InlineData("target", "target mismatch")]
    [InlineData("tenant", "unknown tenant")]
    [InlineData("select", "forbidden SELECT")]
    [InlineData("class", "invalid class byte")]
    public void Submit_EachRefusal_OneSecurityLineWithTenantAndReason(string attack, string why)
    {
        _rig.Relay.Submit("acme", Script("acme", 5, "ok", AcmeSd, Step(GetIinCh1)));
        Assert.Empty(_sink.Lines);
        switch (attack)
        {
            case "forged": _rig.Relay.Submit("acme", Unsigned("acme", 9, "f1")); break;
            case "replayed": _rig.Relay.Submit("acme", Script("acme", 5, "r1", AcmeSd, Step(GetIinCh1))); break;
            case "target": _rig.Relay.Submit("acme", Script("acme", 6, "t1", BetaSd, Step(GetIinCh1))); break;
            case "tenant": _rig.Relay.Submit("ghost", Script("ghost", 1, "g1", AcmeSd)); break;
            case "select": _rig.Relay.Submit("acme", Script("acme", 6, "s1", AcmeSd, Step("01A4040008" + BetaSd + "00"))); break;
            case "class": _rig.Relay.Submit("acme", Script("acme", 6, "c1", AcmeSd, Step("20CA004200"))); break; // RFU class
        }

        Assert.Equal(ScriptOutcome.Rejected, _rig.Listener.LastResult.Outcome);
        string line = Assert.Single(_sink.Lines);
        Assert.StartsWith($"security device={Device} tenant={(attack == "tenant" ? "ghost" : "acme")} event=request refused=\"script ", line);
        Assert.Contains($"why=\"{why}", line);
    }

    [Fact]
    public void Forward_RefusedInteractiveApdu_OneLine()
    {
        _rig.Relay.Forward("acme", Apdu("acme", "nosession", 1, GetIinCh1));

        Assert.Equal(RejectReason.NoSession, _rig.Listener.LastResponse.Reason);
        Assert.Contains("event=request refused=\"apdu 6e6f7365\" why=\"no open session", Assert.Single(_sink.Lines));
    }

    [Fact]
    public void Forward_FailedExternalAuthenticates_GuardLinesThenTheTripThenTheWithheldRequest()
    {
        // The rig's SDs hold no SCP03 keys: every EXTERNAL AUTHENTICATE fails at the card (docs/protocol.md §4.5). With a
        // guard limit of 2 and the card's 3, the second failure trips the guard and leaves room for no further attempt.
        var rig = new RelayRig(options: new NanoAgent.Agent.Relay.RelayOptions { AuthFailureLimit = 2, CardAuthFailureLimit = 3 });
        var sink = new LineSink();
        rig.Relay.SecurityLog = new SecurityLog(sink, rig.Clock, Device, SecurityLog.DefaultLinesPerWindow);
        rig.Relay.Submit("acme", Script("acme", 1, "s", AcmeSd));
        rig.Relay.Forward("acme", Apdu("acme", "s", 1, "8150000008010203040506070800"));
        rig.Relay.Forward("acme", Apdu("acme", "s", 2, "85823300100102030405060708090A0B0C0D0E0F10"));
        rig.Relay.Forward("acme", Apdu("acme", "s", 3, "85823300100102030405060708090A0B0C0D0E0F10"));
        rig.Relay.Forward("acme", Apdu("acme", "s", 4, "8150000008010203040506070800"));

        Assert.Equal(5, sink.Lines.Count);
        Assert.Matches("tenant=acme event=guard refused=\"EXTERNAL AUTHENTICATE\" why=\"refused by the SE \\(SW [0-9A-F]{4}\\), 1 failed in a row; INITIALIZE UPDATE is withheld from 2\"", sink.Lines[0]);
        Assert.Contains("2 failed in a row", sink.Lines[1]);
        Assert.Contains("event=guard refused=\"INITIALIZE UPDATE\" why=\"guard tripped after 2 failed EXTERNAL AUTHENTICATEs", sink.Lines[2]);
        Assert.Contains("event=guard refused=\"INITIALIZE UPDATE\" why=\"no attempt is forwarded any more", sink.Lines[3]);
        Assert.Contains("event=request refused=\"apdu 73\" why=\"EXTERNAL AUTHENTICATE guard: INITIALIZE UPDATE withheld\"", sink.Lines[4]);
    }

    [Fact]
    public void Submit_FloodOf10000ForgedRequests_BoundedLines_AndTheCountIsReported()
    {
        for (int i = 0; i < 10_000; i++)
        {
            _rig.Relay.Submit("acme", Unsigned("acme", (ulong)(i + 1), "f" + i));
        }

        Assert.Equal(10_000, _rig.Listener.Results.Count(r => r.Result.Reason == RejectReason.NotAuthenticated));
        Assert.Equal(SecurityLog.DefaultLinesPerWindow, _sink.Lines.Count);
        Assert.Empty(_rig.Transport.Log); // nothing reached the tenant's channel
        _rig.Clock.Sleep(60_000);
        _log.Flush();
        Assert.Equal($"security device={Device} tenant=acme event=request suppressed={10_000 - SecurityLog.DefaultLinesPerWindow} why=\"more than 10 a minute\"", _sink.Lines[^1]);

        // Spread over ten minutes, the flood still leaves at most limit + 1 lines a minute.
        _sink.Lines.Clear();
        for (int minute = 0; minute < 10; minute++)
        {
            for (int i = 0; i < 1000; i++)
            {
                _rig.Relay.Submit("acme", Unsigned("acme", 1, "m"));
                _rig.Clock.Sleep(60);
            }
        }

        _log.Flush();
        Assert.InRange(_sink.Lines.Count, 10, 10 * (SecurityLog.DefaultLinesPerWindow + 1));
    }
}
