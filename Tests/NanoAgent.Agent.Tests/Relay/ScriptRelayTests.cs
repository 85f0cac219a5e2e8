using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tenants;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.VirtualSe.State;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

public class ScriptRelayTests
{
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

    [Fact]
    public void Submit_SwMismatch_AbortsAtThatStep()
    {
        var rig = new RelayRig();

        // INS 3C is not implemented by the virtual SD: '6D00'.
        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, Step(GetIinCh1), Step("813C000008" + "0102030405060708"), Step("81CA004500")));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal(ScriptOutcome.Failed, result.Outcome);
        Assert.Equal(1, result.FailedStep);
        Assert.Equal(2, result.Steps.Length);
        Assert.Equal((StepOutcome.SwMismatch, (ushort)0x6D00), (result.Steps[1].Outcome, result.Steps[1].Sw));
        Assert.DoesNotContain("81CA004500", rig.Transport.Log.Select(Hex.Of));
        Assert.Equal("00708001", Hex.Of(rig.Transport.Log[^1]));
    }

    [Fact]
    public void Submit_ContinueOnFail_RunsEveryStep()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, Step("813C000000", cont: true), Step(GetIinCh1)));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        Assert.Equal([StepOutcome.SwMismatch, StepOutcome.Passed], result.Steps.Select(s => s.Outcome));
    }

    [Fact]
    public void Submit_MaskedExpectation_AcceptsAnySw2()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, Step("813C000000", sw: 0x6D55, mask: 0xFF00)));

        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        Assert.Equal(0x6D00, rig.Listener.LastResult.Steps[0].Sw);
    }

    [Fact]
    public void Submit_SameIdTwice_AnswersStoredResultWithoutTouchingTheSe()
    {
        var rig = new RelayRig();
        ScriptRequest request = Script("acme", 1, "s1", AcmeSd, ThreeGets);
        rig.Relay.Submit("acme", request);
        int commands = rig.Transport.Commands;

        rig.Relay.Submit("acme", request);

        Assert.Equal(commands, rig.Transport.Commands);
        Assert.Equal(2, rig.Listener.Results.Count);
        Assert.Equal(
            ReportMessageCodec.Encode(rig.Listener.Results[0].Result),
            ReportMessageCodec.Encode(rig.Listener.Results[1].Result));
    }

    [Theory]
    [InlineData(5u)]
    [InlineData(4u)]
    public void Submit_CounterNotAboveLastAccepted_RejectedAsReplay(uint counter)
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 5, "s1", AcmeSd, ThreeGets));
        int commands = rig.Transport.Commands;

        rig.Relay.Submit("acme", Script("acme", counter, "s2", AcmeSd, ThreeGets));

        AssertRejected(rig, RejectReason.ReplayedCounter, commands);
        Assert.Equal(5UL, rig.Store.GetCounter("acme"));
    }

    [Fact]
    public void Submit_UnknownTenant_Rejected()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("nobody", Script("nobody", 1, "s1", AcmeSd, ThreeGets));
        AssertRejected(rig, RejectReason.UnknownTenant, 0);
        Assert.Equal("nobody", rig.Listener.Results[0].Tenant);
    }

    [Fact]
    public void Submit_RequestClaimingAnotherTenant_Rejected()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("beta", Script("acme", 1, "s1", AcmeSd, ThreeGets));
        AssertRejected(rig, RejectReason.TenantMismatch, 0);
    }

    [Fact]
    public void Submit_TargetOtherThanOwnSd_Rejected()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", Script("acme", 1, "s1", BetaSd, ThreeGets));
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

    [Fact]
    public void Submit_ScriptOverTenantLimit_RefusedUpFront()
    {
        var rig = new RelayRig();
        string big = "80E29000FA" + new string('A', 500); // STORE DATA-like, 250 data bytes; gamma's limit is 4096 bytes
        ScriptRequest request = Script("gamma", 1, "big", GammaSd, Enumerable.Repeat(Step(big), 20).ToArray());
        Assert.True(request.EncodedLength > 4096);

        rig.Relay.Submit("gamma", request);

        AssertRejected(rig, RejectReason.TooLarge, 0);
    }

    [Fact]
    public void Submit_StepLongerThanTheCardTakes_RejectedRatherThanChained()
    {
        var rig = new RelayRig(options: new RelayOptions { MaxCommandData = 16 });
        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, Step("81E2900011" + new string('0', 34))));
        AssertRejected(rig, RejectReason.TooLarge, 0);
    }

    [Fact]
    public void Submit_HundredSteps_ReportsProgressEveryTenSteps()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("gamma", Script("gamma", 1, "long", GammaSd, Enumerable.Repeat(Step("80CA004200"), 100).ToArray()));

        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10), rig.Listener.Progress.Select(p => p.Progress.StepsDone));
        Assert.All(rig.Listener.Progress, p => Assert.Equal((100, (ushort)0x9000), (p.Progress.StepCount, p.Progress.LastSw)));
        Assert.Equal(100, rig.Listener.LastResult.Steps.Length);
        Assert.Equal(103, rig.Transport.Commands); // MANAGE CHANNEL open, SELECT, the steps, MANAGE CHANNEL close
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

    [Fact]
    public void Store_KeepsOnlyTheLastResultsPerTenant()
    {
        var rig = new RelayRig(new InMemoryRelayStore(4));
        for (uint i = 1; i <= 5; i++)
        {
            rig.Relay.Submit("gamma", Script("gamma", i, "id" + i, GammaSd, Step("80CA004200")));
        }

        Assert.Null(rig.Store.FindResult("gamma", "id1"u8.ToArray()));
        Assert.NotNull(rig.Store.FindResult("gamma", "id5"u8.ToArray()));
    }

    private static void AssertRejected(RelayRig rig, RejectReason reason, int commands)
    {
        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Rejected, reason), (result.Outcome, result.Reason));
        Assert.Equal(commands, rig.Transport.Commands);
    }
}
