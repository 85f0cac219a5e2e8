using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tenants;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.VirtualSe.State;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// Batch runs through the relay (docs/protocol.md §4). The theories run on both cards (<see cref="RelayCard"/>): the GP card,
/// where a run is a logical channel with the tenant's SD, and the SE05x, where it is an applet session (§4.6); the facts are
/// the GP card's channel rules and set-up (the SE05x's: <see cref="Se05xStepGuardTests"/>, <see cref="Se05xRelayTests"/>).
/// </summary>
public class ScriptRelayTests
{
    public static TheoryData<string> Cards => RelayCard.Cards;

    // GPC v2.3.1 §11.3 GET DATA on channel 1 (CLA 81): IIN '42', CIN '45', card data '66'. The fresh virtual card's IIN is 6E616E6F.
    private static readonly ScriptStep[] ThreeGets =
    [
        Step(GetIinCh1, data: true),
        Step("81CA004500"),
        Step("81CA006600"),
    ];

    [Fact]
    public void Submit_ThreeSteps_CompletesWithPerStepResults()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, ThreeGets));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        Assert.Equal(-1, result.FailedStep);
        Assert.Equal(3, result.StepCount);
        Assert.All(result.Steps, s => Assert.Equal((StepOutcome.Passed, (ushort)0x9000), (s.Outcome, s.Sw)));
        Assert.Equal("42046E616E6F", Hex.Of(result.Steps[0].Data!));
        Assert.Null(result.Steps[1].Data);

        // ISO/IEC 7816-4 §7.1.2 MANAGE CHANNEL open 1, SELECT the SD on channel 1, the steps unchanged, close 1.
        Assert.Equal(
            ["00700001", "01A4040008" + AcmeSd + "00", GetIinCh1, "81CA004500", "81CA006600", "00708001"],
            rig.Transport.Log.Select(Hex.Of));
        Assert.Empty(rig.Store.Runs());
    }

    [Theory]
    [InlineData("80CA004200")] // written for the basic channel
    [InlineData("83CA004200")] // for channel 3
    [InlineData("C5CA004200")] // for channel 9, further coding
    public void Submit_StepWrittenForAnyChannel_RunsOnTheSessionsChannel(string step)
    {
        // docs/protocol.md §4.3: the relay puts the session's channel into every CLA (gamma's old channel 0 no longer matters).
        var rig = new RelayRig();
        rig.Relay.Submit("gamma", Script("gamma", 1, "g", GammaSd, Step(step)));

        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        Assert.Equal(["00700001", "01A4040008" + GammaSd + "00", "81CA004200", "00708001"], rig.Transport.Log.Select(Hex.Of));
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_SwMismatch_AbortsAtThatStep(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", rig.Script("acme", 1, "s1", rig.Harmless(), Step(rig.FailingApdu), Step(rig.OtherApdu)));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal(ScriptOutcome.Failed, result.Outcome);
        Assert.Equal(1, result.FailedStep);
        Assert.Equal(2, result.Steps.Length);
        Assert.Equal((StepOutcome.SwMismatch, rig.FailingSw), (result.Steps[1].Outcome, result.Steps[1].Sw));
        Assert.DoesNotContain(rig.TenantLog, c => Hex.Of(c).Contains(rig.OtherApdu, StringComparison.Ordinal));
        Assert.True(rig.EndsSession(rig.Transport.Log[^1]));
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_ContinueOnFail_RunsEveryStep(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", rig.Script("acme", 1, "s1", Step(rig.FailingApdu, cont: true), Step(rig.HarmlessApdu, rig.HarmlessSw)));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        Assert.Equal([StepOutcome.SwMismatch, StepOutcome.Passed], result.Steps.Select(s => s.Outcome));
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_MaskedExpectation_AcceptsAnySw2(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", rig.Script("acme", 1, "s1", Step(rig.FailingApdu, sw: (ushort)(rig.FailingSw | 0x55), mask: 0xFF00)));

        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        Assert.Equal(rig.FailingSw, rig.Listener.LastResult.Steps[0].Sw);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_SameIdTwice_AnswersStoredResultWithoutTouchingTheSe(string card)
    {
        var rig = RelayCard.Create(card);
        ScriptRequest request = rig.Script("acme", 1, "s1", rig.Harmless(), rig.Harmless());
        rig.Relay.Submit("acme", request);
        int commands = rig.TenantCommands;
        int results = rig.Listener.Results.Count;

        rig.Relay.Submit("acme", request);

        Assert.Equal(commands, rig.TenantCommands);
        Assert.Equal(results + 1, rig.Listener.Results.Count);
        Assert.Equal(
            ReportMessageCodec.Encode(rig.Listener.Results[^2].Result),
            ReportMessageCodec.Encode(rig.Listener.Results[^1].Result));
    }

    [Theory]
    [InlineData("gp", 5u)]
    [InlineData("gp", 4u)]
    [InlineData("se05x", 5u)]
    [InlineData("se05x", 4u)]
    public void Submit_CounterNotAboveLastAccepted_RejectedAsReplay(string card, uint counter)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", rig.Script("acme", 5, "s1", rig.Harmless()));
        int commands = rig.TenantCommands;

        rig.Relay.Submit("acme", rig.Script("acme", counter, "s2", rig.Harmless()));

        AssertRejected(rig, RejectReason.ReplayedCounter, commands);
        Assert.Equal(5UL, rig.Store.GetCounter("acme"));
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_UnknownTenant_Rejected(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("nobody", RelayRig.Script("nobody", 1, "s1", rig.Target("acme"), rig.Harmless()));
        AssertRejected(rig, RejectReason.UnknownTenant, 0);
        Assert.Equal("nobody", rig.Listener.Results[^1].Tenant);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_RequestClaimingAnotherTenant_Rejected(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("beta", rig.Script("acme", 1, "s1", rig.Harmless()));
        AssertRejected(rig, RejectReason.TenantMismatch, 0);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_TargetOtherThanOwnSd_Rejected(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", RelayRig.Script("acme", 1, "s1", rig.OtherTarget, rig.Harmless()));
        AssertRejected(rig, RejectReason.TargetMismatch, 0);
    }

    [Fact]
    public void Submit_SelectOfAnotherTenantsSd_RejectedBeforeAnyApdu()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, Step(GetIinCh1), Step("01A4040008" + BetaSd + "00")));

        AssertRejected(rig, RejectReason.ForbiddenSelect, 0);

        // Nothing was consumed: the same counter is still good for a valid script.
        rig.Relay.Submit("acme", Script("acme", 1, "s2", AcmeSd, Step(GetIinCh1), Step("01A4040008" + AcmeSd + "00")));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Theory]
    [InlineData("0070000200", RejectReason.ForbiddenCommand)] // MANAGE CHANNEL
    [InlineData("A0CA004200", RejectReason.InvalidClass)] // RFU class '101x xxxx': no channel can be put on it
    [InlineData("2CCA004200", RejectReason.InvalidClass)] // RFU class '001x xxxx'
    [InlineData("8CCA004200", RejectReason.InvalidClass)] // b4 set: an ISO secure messaging format GP does not use
    [InlineData("FFCA004200", RejectReason.ForbiddenCommand)] // 'FF' is invalid (ISO/IEC 7816-4 §5.4.1)
    [InlineData("01A40000023F00", RejectReason.ForbiddenSelect)] // SELECT by file id
    [InlineData("01A4040208" + AcmeSd, RejectReason.ForbiddenSelect)] // SELECT next occurrence
    [InlineData("01A4040009F06E616E6F53440101", RejectReason.ForbiddenSelect)] // partial: longer AID
    public void Submit_StepBreakingTheChannelRules_RejectedBeforeAnyApdu(string apdu, RejectReason reason)
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, Step(GetIinCh1), Step(apdu)));
        AssertRejected(rig, reason, 0);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_ScriptOverTenantLimit_RefusedUpFront(string card)
    {
        var rig = RelayCard.Create(card);
        string big = rig.ApduWithData(250); // acme's limit is 4096 bytes on both rigs
        ScriptRequest request = rig.Script("acme", 1, "big", Enumerable.Repeat(Step(big), 20).ToArray());
        Assert.True(request.EncodedLength > 4096);

        rig.Relay.Submit("acme", request);

        AssertRejected(rig, RejectReason.TooLarge, 0);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_StepLongerThanTheCardTakes_RejectedRatherThanChained(string card)
    {
        var rig = RelayCard.Create(card, options: new RelayOptions { MaxCommandData = 16 });
        rig.Relay.Submit("acme", rig.Script("acme", 1, "s1", Step(rig.ApduWithData(17))));
        AssertRejected(rig, RejectReason.TooLarge, 0);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Submit_HundredSteps_ReportsProgressEveryTenSteps(string card)
    {
        var rig = RelayCard.Create(card);
        rig.Relay.Submit("acme", rig.Script("acme", 1, "long", Enumerable.Repeat(Step(rig.HarmlessApdu, rig.HarmlessSw), 100).ToArray()));

        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10), rig.Listener.Progress.Select(p => p.Progress.StepsDone));
        Assert.All(rig.Listener.Progress, p => Assert.Equal((100, rig.HarmlessSw), (p.Progress.StepCount, p.Progress.LastSw)));
        Assert.Equal(100, rig.Listener.LastResult.Steps.Length);
        Assert.Equal(100 + rig.SessionOverhead, rig.TenantCommands); // the steps and the session's opening and end
    }

    [Fact]
    public void Submit_SdNotSelectable_SetupFailedWithSelectSw()
    {
        // delta's SD holds its request key but is only INSTALLED (not selectable): SELECT answers '6A82'.
        var rig = new RelayRig();
        rig.Card.State.Entries.Add(new RegistryEntry
        {
            Aid = Hex.Parse("F06E616E6F5344FF"), Kind = RegistryEntryKind.SecurityDomain, LifeCycle = EntryLifeCycle.Installed, Privileges = [0x80, 0x00, 0x00],
            AssociatedSecurityDomain = CardState.DefaultIsdAid.ToArray(), Domain = new SecurityDomainData { KeySets = [RequestKeySet("delta")] },
        });
        rig.Tenants.Add(new Tenant("delta", Hex.Parse("F06E616E6F5344FF"), 3, 4096));
        rig.Relay.Submit("delta", Script("delta", 1, "d", "F06E616E6F5344FF", Step("83CA004200")));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.SetupFailed, (ushort)0x6A82), (result.Outcome, result.SetupSw));
        Assert.Empty(result.Steps);
        Assert.Equal("00708001", Hex.Of(rig.Transport.Log[^1]));
    }

    [Fact]
    public void Submit_ChannelLeftOpen_IsClosedAndOpenedAgain()
    {
        var rig = new RelayRig();
        rig.Card.Process(Hex.Parse("00700001"), new byte[2]);
        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, Step(GetIinCh1)));

        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        Assert.Equal(["00700001", "00708001", "00700001"], rig.Transport.Log.Take(3).Select(Hex.Of));
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Store_KeepsOnlyTheLastResultsPerTenant(string card)
    {
        var rig = RelayCard.Create(card, new InMemoryRelayStore(4));
        for (uint i = 1; i <= 5; i++)
        {
            rig.Relay.Submit("acme", rig.Script("acme", i, "id" + i, rig.Harmless()));
        }

        Assert.Null(rig.Store.FindResult("acme", "id1"u8.ToArray()));
        Assert.NotNull(rig.Store.FindResult("acme", "id5"u8.ToArray()));
    }

    private static void AssertRejected(RelayRig rig, RejectReason reason, int commands)
    {
        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Rejected, reason), (result.Outcome, result.Reason));
        Assert.Equal(commands, rig.Transport.Commands);
    }

    private static void AssertRejected(RelayCard rig, RejectReason reason, int commands)
    {
        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Rejected, reason), (result.Outcome, result.Reason));
        Assert.Equal(commands, rig.TenantCommands);
    }
}
