using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.T1;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

public class RecoveryTests
{
    private static ScriptRequest FiveSteps(uint counter = 1) =>
        Script("acme", counter, "five", AcmeSd, Enumerable.Repeat(Step(GetIinCh1), 5).ToArray());

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void Recover_AfterPowerCutAtStepK_ReportsEarlierStepsAndStepKSentUnknown(int k)
    {
        var rig = new RelayRig();

        // Commands 1 and 2 are MANAGE CHANNEL and SELECT; step k is command k + 3.
        rig.Transport.FailAt = k + 3;
        Assert.Throws<PowerCutException>(() => rig.Relay.Submit("acme", FiveSteps()));
        Assert.Empty(rig.Listener.Results);

        rig.Transport.FailAt = -1;
        rig.NewRelay();
        Assert.Equal(1, rig.Relay.Recover());

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Interrupted, k, 5), (result.Outcome, result.FailedStep, result.StepCount));
        Assert.Equal(Enumerable.Range(0, k + 1), result.Steps.Select(s => s.Index));
        Assert.All(result.Steps.Take(k), s => Assert.Equal((StepOutcome.Passed, (ushort)0x9000), (s.Outcome, s.Sw)));
        Assert.Equal(StepOutcome.SentUnknown, result.Steps[k].Outcome);
        Assert.Empty(rig.Store.Runs());
    }

    [Fact]
    public void Recover_ThenRedelivery_AnswersTheInterruptedReportWithoutTouchingTheSe()
    {
        var rig = new RelayRig();
        rig.Transport.FailAt = 4;
        Assert.Throws<PowerCutException>(() => rig.Relay.Submit("acme", FiveSteps()));
        rig.Transport.FailAt = -1;
        rig.NewRelay().Recover();
        int commands = rig.Transport.Commands;

        rig.Relay.Submit("acme", FiveSteps());

        Assert.Equal(commands, rig.Transport.Commands);
        Assert.Equal(ScriptOutcome.Interrupted, rig.Listener.LastResult.Outcome);
        Assert.Equal(2, rig.Listener.Results.Count);
    }

    [Fact]
    public void Recover_ThenNewScript_ReopensTheChannelTheCutLeftOpen()
    {
        var rig = new RelayRig();
        rig.Transport.FailAt = 4;
        Assert.Throws<PowerCutException>(() => rig.Relay.Submit("acme", FiveSteps()));
        rig.Transport.FailAt = -1;
        rig.NewRelay().Recover();

        int before = rig.Transport.Commands;
        rig.Relay.Submit("acme", Script("acme", 2, "six", AcmeSd, Step(GetIinCh1)));

        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        Assert.Equal(["00700001", "00708001", "00700001"], rig.Transport.Log.Skip(before).Take(3).Select(Hex.Of));
    }

    [Fact]
    public void Submit_AfterARunDiedWithoutReboot_ReportsTheStaleRunFirst()
    {
        var rig = new RelayRig();
        rig.Transport.FailAt = 4;
        Assert.Throws<PowerCutException>(() => rig.Relay.Submit("acme", FiveSteps()));
        rig.Transport.FailAt = -1;

        rig.Relay.Submit("acme", Script("acme", 2, "next", AcmeSd, Step(GetIinCh1)));

        Assert.Equal([ScriptOutcome.Interrupted, ScriptOutcome.Completed], rig.Listener.Results.Select(r => r.Result.Outcome));
        Assert.Equal(StepOutcome.SentUnknown, rig.Listener.Results[0].Result.Steps[^1].Outcome);
    }

    [Fact]
    public void Recover_NothingInFlight_ReportsNothing()
    {
        var rig = new RelayRig();
        rig.Relay.Submit("acme", FiveSteps());
        rig.NewRelay();
        Assert.Equal(0, rig.Relay.Recover());
        Assert.Empty(rig.Listener.Results);
    }

    [Fact]
    public void Submit_LinkFaultAtStep_ReportsInterruptedAtOnce()
    {
        var rig = new RelayRig();
        rig.Transport.FailAt = 5;
        rig.Transport.Fault = () => new BlockProtocolException(BlockProtocolError.Timeout, "no answer");

        rig.Relay.Submit("acme", FiveSteps());

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Interrupted, 2), (result.Outcome, result.FailedStep));
        Assert.Equal([StepOutcome.Passed, StepOutcome.Passed, StepOutcome.SentUnknown], result.Steps.Select(s => s.Outcome));
        Assert.Empty(rig.Store.Runs());
    }
}
