using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tenants;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.State;
using NanoAgent.VirtualSe.T1.Gp;
using NanoAgent.VirtualSe.T1.Se05x;

namespace NanoAgent.Agent.Tests.Campaign;

/// <summary>
/// Relays many scripts over a real block protocol and a virtual bus with random faults, and checks every step against
/// the card's own count: a step reported passed ran exactly once, a step reported sent-unknown ran at most once, a step
/// never reported never ran. Larger run: NANOAGENT_CAMPAIGN_STEPS=1000000 dotnet test ... --filter FaultCampaign.
/// </summary>
public class FaultCampaignTests
{
    private const string Tenant = "t1";

    private static int Steps => int.TryParse(Environment.GetEnvironmentVariable("NANOAGENT_CAMPAIGN_STEPS"), out int n) && n > 0 ? n : 10_000;

    [Theory]
    [InlineData("se05x", 1)]
    [InlineData("gp", 2)]
    public void Relay_UnderRandomBusFaults_NeverAppliesAStepTwiceOrLosesOne(string protocol, int seed)
    {
        var card = new CountingCard();
        var clock = new VirtualClock();
        IBlockResponder responder = protocol == "se05x" ? new Se05xT1Responder(card) : new GpT1Responder(card);
        var target = new VirtualI2cTarget(responder);
        var link = new I2cFrameLink(target, ownsBus: false);
        ISeTransport transport = protocol == "se05x"
            ? new Se05xT1Protocol(link, clock, new Se05xT1Options(), ownsLink: false)
            : new GpT1Protocol(link, clock, new GpT1Options());
        transport.Open();
        var random = new Random(seed);
        var faulty = new FaultInjectingTransport(transport, target.Target.Faults, random, faultRate: 0.05);
        string isd = Convert.ToHexString(CardState.DefaultIsdAid);
        var relay = new ScriptRelay(TenantRegistry.Parse($"{Tenant} {isd} 0 65535\n"), new InMemoryRelayStore(), faulty, clock, new RelayOptions(), new AcceptingVerifier());
        var listener = new RecordingListener();
        relay.Listener = listener;

        int sent = 0, script = 0, passed = 0, unknown = 0, interrupted = 0;
        while (sent < Steps)
        {
            script++;
            int count = random.Next(1, 21);
            relay.Submit(Tenant, Request(script, count));
            ScriptResult result = listener.LastResult;
            Assert.Equal($"c{script}", System.Text.Encoding.ASCII.GetString(result.ScriptId));
            Assert.True(result.Outcome is ScriptOutcome.Completed or ScriptOutcome.Interrupted, $"script {script}: {result.Outcome}");
            interrupted += result.Outcome == ScriptOutcome.Interrupted ? 1 : 0;
            var reported = result.Steps.ToDictionary(s => s.Index);
            for (int i = 0; i < count; i++)
            {
                int applied = card.Applied.GetValueOrDefault((script, i));
                StepOutcome outcome = reported.TryGetValue(i, out StepResult? s) ? s.Outcome : StepOutcome.NotSent;
                switch (outcome)
                {
                    case StepOutcome.Passed:
                        Assert.True(applied == 1, $"script {script} step {i} passed but applied {applied} times");
                        passed++;
                        break;
                    case StepOutcome.SentUnknown:
                        Assert.True(applied <= 1, $"script {script} step {i} sent-unknown but applied {applied} times");
                        unknown++;
                        break;
                    default:
                        Assert.True(applied == 0, $"script {script} step {i} {outcome} but applied {applied} times");
                        break;
                }
            }

            sent += count;
        }

        // The campaign must have bitten: faults fired, some runs broke, and most steps still went through.
        Assert.True(target.Target.Faults.Fired > Steps / 100, $"faults fired {target.Target.Faults.Fired}");
        Assert.True(interrupted > 0 && passed > Steps / 2, $"passed {passed}, unknown {unknown}, interrupted {interrupted} of {script}");
        Assert.DoesNotContain(card.Applied, kv => kv.Value > 1);
    }

    private static ScriptRequest Request(int script, int count)
    {
        var steps = new ScriptStep[count];
        for (int i = 0; i < count; i++)
        {
            steps[i] = new ScriptStep(CountingCard.Step(script, i), 0x9000, 0xFFFF, false, false);
        }

        return ScriptMessageCodec.DecodeScriptRequest(RelayRig.Signer(Tenant).Sign(new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes($"c{script}"),
            TenantId = Tenant,
            Counter = (uint)script,
            TargetAid = CardState.DefaultIsdAid.ToArray(),
            Mode = ScriptMode.Batch,
            Steps = steps,
        }));
    }
}
