using CsCheck;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Apdu;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// A relay store write that fails (issue 13 item 4): the step stops before the SE sees it, the tenant is answered
/// "storage error" (docs/protocol.md §3.8), and what the store holds still tells exactly what reached the SE.
/// </summary>
public class StoreFailureTests
{
    // GPC v2.3.1 §11.3 GET DATA on channel 1: IIN '42', CIN '45', card data '66' (three different APDUs).
    private static readonly ScriptStep[] ThreeGets = [Step(GetIinCh1), Step("81CA004500"), Step("81CA006600")];

    [Fact]
    public void Submit_BeginRunFails_RejectedStorageErrorSeSeesNothingCounterNotConsumed()
    {
        var store = new FailingRelayStore(new InMemoryRelayStore(4), failAt: 1);
        var rig = new RelayRig(store);

        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, ThreeGets));

        Assert.Equal((ScriptOutcome.Rejected, RejectReason.StorageError), (rig.Listener.LastResult.Outcome, rig.Listener.LastResult.Reason));
        Assert.Empty(rig.Transport.Log);
        Assert.Equal(0UL, store.GetCounter("acme"));
        Assert.Equal(1, rig.Relay.StoreFailures);
        Assert.Contains("write 1", rig.Relay.LastStoreFault);

        // The store works again: the same request runs, since nothing of it was consumed.
        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, ThreeGets));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Fact]
    public void Submit_SetCounterFails_RejectedAndNoTraceLeft()
    {
        var store = new FailingRelayStore(new InMemoryRelayStore(4), failAt: 2);
        var rig = new RelayRig(store);

        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, ThreeGets));

        Assert.Equal(RejectReason.StorageError, rig.Listener.LastResult.Reason);
        Assert.Empty(rig.Transport.Log);
        Assert.Empty(store.Runs());
        Assert.Equal(0UL, store.GetCounter("acme"));
    }

    [Fact]
    public void Batch_MarkSendingFails_StopsBeforeThatStepAndReportsStorageFailed()
    {
        // Writes: 1 begin, 2 counter, 3 sending 0, 4 answered 0, 5 sending 1 (fails).
        var store = new FailingRelayStore(new InMemoryRelayStore(4), failAt: 5);
        var rig = new RelayRig(store);

        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, ThreeGets));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.StorageFailed, 1, 3), (result.Outcome, result.FailedStep, result.StepCount));
        Assert.Equal(["0 Passed"], result.Steps.Select(s => $"{s.Index} {s.Outcome}"));
        Assert.Equal(["00700001", "01A4040008" + AcmeSd + "00", GetIinCh1, "00708001"], rig.Transport.Log.Select(Hex.Of));
        Assert.Equal(1UL, store.GetCounter("acme")); // the counter stays consumed
        Assert.NotNull(store.FindResult("acme", "s1"u8.ToArray())); // a redelivery gets this same report
        Assert.Empty(store.Runs());
    }

    [Fact]
    public void Batch_MarkAnsweredFails_ThatStepsAnswerReportedAndNoFurtherStepRuns()
    {
        // Writes: 1 begin, 2 counter, 3 sending 0, 4 answered 0, 5 sending 1, 6 answered 1 (fails).
        var store = new FailingRelayStore(new InMemoryRelayStore(4), failAt: 6);
        var rig = new RelayRig(store);

        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, ThreeGets));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.StorageFailed, 1), (result.Outcome, result.FailedStep));
        Assert.Equal(["0 Passed 9000", "1 Passed 9000"], result.Steps.Select(s => $"{s.Index} {s.Outcome} {s.Sw:X4}"));
        Assert.DoesNotContain("81CA006600", rig.Transport.Log.Select(Hex.Of));
    }

    [Fact]
    public void Batch_StoreBrokenForGood_TenantAnsweredOnceAndRestartReportsFromTheTrace()
    {
        // From "sending 1" on every write fails, the final result too: the trace is what is left.
        var store = new FailingRelayStore(new InMemoryRelayStore(4), failAt: 5) { Broken = true };
        var rig = new RelayRig(store);

        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, ThreeGets));

        ScriptResult answered = Assert.Single(rig.Listener.Results).Result;
        Assert.Equal((ScriptOutcome.StorageFailed, 1), (answered.Outcome, answered.FailedStep));
        InFlightRun trace = Assert.Single(store.Runs());
        Assert.Equal((1, -1), (trace.AnsweredCount, trace.Sending));

        // A later request is refused with a storage error before anything reaches the SE.
        int sent = rig.Transport.Commands;
        rig.Relay.Submit("acme", Script("acme", 2, "s2", AcmeSd, ThreeGets));
        Assert.Equal(RejectReason.StorageError, rig.Listener.LastResult.Reason);
        Assert.Equal(sent, rig.Transport.Commands);

        // The store is repaired and the agent restarts: the run is reported from its trace, step 1 never sent.
        store.Broken = false;
        store.FailAt = 0;
        rig.NewRelay();
        Assert.Equal(1, rig.Relay.Recover());
        ScriptResult report = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Interrupted, 1), (report.Outcome, report.FailedStep));
        Assert.Equal(["0 Passed"], report.Steps.Select(s => $"{s.Index} {s.Outcome}"));
    }

    [Fact]
    public void Interactive_MarkSendingFails_ApduRefusedAndSessionEndsStorageFailed()
    {
        // Writes: 1 begin, 2 counter (the session is open), 3 sending 0 (fails).
        var store = new FailingRelayStore(new InMemoryRelayStore(4), failAt: 3);
        var rig = new RelayRig(store);
        rig.Relay.Submit("acme", Script("acme", 1, "sess", AcmeSd));
        int sent = rig.Transport.Commands;

        rig.Relay.Forward("acme", ApduRequest(1, GetIinCh1));

        Assert.Equal(RejectReason.StorageError, rig.Listener.LastResponse.Reason);
        Assert.Equal((ScriptOutcome.StorageFailed, 0), (rig.Listener.LastResult.Outcome, rig.Listener.LastResult.FailedStep));
        Assert.Equal(["00708001"], rig.Transport.Log.Skip(sent).Select(Hex.Of)); // only the channel close
        Assert.Equal(0, rig.Relay.OpenSessionCount);
    }

    [Fact]
    public void Interactive_MarkAnsweredFails_ResponseDeliveredThenSessionEnds()
    {
        var store = new FailingRelayStore(new InMemoryRelayStore(4), failAt: 4);
        var rig = new RelayRig(store);
        rig.Relay.Submit("acme", Script("acme", 1, "sess", AcmeSd));

        rig.Relay.Forward("acme", ApduRequest(1, GetIinCh1));

        Assert.Equal("42046E616E6F9000", Hex.Of(rig.Listener.LastResponse.Response!));
        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.StorageFailed, 0, 1), (result.Outcome, result.FailedStep, result.Steps.Length));
        Assert.Equal(0, rig.Relay.OpenSessionCount);
    }

    [Fact]
    public void Batch_GuardCountWriteFails_RunStopsStorageFailedBeforeTheNextStep()
    {
        // Writes: 1 begin, 2 counter, 3 sending 0, 4 answered 0, 5 the EXTERNAL AUTHENTICATE failure count (fails).
        // The rig's SD has no SCP03 keys, so the EXTERNAL AUTHENTICATE fails at the card (docs/protocol.md §4.5).
        var store = new FailingRelayStore(new InMemoryRelayStore(4), failAt: 5);
        var rig = new RelayRig(store);

        rig.Relay.Submit("acme", Script("acme", 1, "s1", AcmeSd, Step("85823300100102030405060708090A0B0C0D0E0F10", 0x9000, 0x0000), Step(GetIinCh1)));

        ScriptResult result = rig.Listener.LastResult;
        Assert.Equal((ScriptOutcome.StorageFailed, 0, 1), (result.Outcome, result.FailedStep, result.Steps.Length));
        Assert.DoesNotContain(rig.Transport.Log, c => Hex.Of(c) == GetIinCh1);
        Assert.Equal(1, rig.Relay.StoreFailures);
    }

    [Fact]
    public void AnyWriteFails_NoStepReachesTheSeUntracedAndTheTenantGetsOneAnswer()
    {
        Gen.Select(Gen.Int[1, 12], Gen.Bool, Gen.Int[1, 3]).Sample((failAt, forGood, steps) =>
        {
            var store = new FailingRelayStore(new InMemoryRelayStore(4), failAt) { Broken = forGood };
            var rig = new RelayRig(store);
            var relay = new ScriptRelay(rig.Tenants, store, new Tracing(rig.Transport, store.Log), rig.Clock, rig.Options, new SeRequestVerifier(rig.VerifierTransport, Device, 255)) { Listener = rig.Listener };

            relay.Submit("acme", Script("acme", 1, "p", AcmeSd, ThreeGets.Take(steps).ToArray()));

            Assert.Single(rig.Listener.Results);
            for (int i = 0; i < store.Log.Count; i++)
            {
                if (store.Log[i].StartsWith("SE 81CA", StringComparison.Ordinal))
                {
                    int step = Array.FindIndex(ThreeGets, s => "SE " + Hex.Of(s.Command) == store.Log[i]);
                    Assert.Equal($"sending {step}", store.Log[i - 1]); // durable "sending" right before the APDU
                }
            }
        }, iter: 200);
    }

    private static ApduRequest ApduRequest(int sequence, string apdu) => Apdu("acme", "sess", sequence, apdu);

    // Puts each APDU into the store's log, so the order of durable writes and APDUs can be checked.
    private sealed class Tracing(IApduTransport inner, List<string> log) : IApduTransport
    {
        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            log.Add("SE " + Convert.ToHexString(command, commandOffset, commandCount));
            return inner.Transceive(command, commandOffset, commandCount, response, responseOffset);
        }
    }
}
