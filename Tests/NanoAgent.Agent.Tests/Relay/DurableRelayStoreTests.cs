using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;

namespace NanoAgent.Agent.Tests.Relay;

public class DurableRelayStoreTests
{
    internal static void Fill(IRelayStore store)
    {
        store.SetCounter("acme", 41);
        store.SetCounter("globex", 7);
        store.SaveResult("acme", [0x01, 0x02], [0xE5, 0x01, 0x00]);
        store.SaveResult("acme", [0x03], [0xE5, 0x02, 0x00, 0x01]);
        store.SaveResult("über-tenant", [0x04], new byte[300]);
        store.BeginRun(new InFlightRun("acme", [0xAA, 0xBB], 42, 5));
        store.MarkSending("acme", 0);
        store.MarkAnswered("acme", new StepResult(0, StepOutcome.Passed, 0x9000, [9, 9]));
        store.MarkSending("acme", 1);
        store.MarkAnswered("acme", new StepResult(1, StepOutcome.SwMismatch, 0x6A82, null));
        store.MarkSending("acme", 2);
        store.BeginRun(new InFlightRun("globex", [0x10], 8, 0));
        store.MarkAnswered("globex", new StepResult(0, StepOutcome.Passed, 0x9000, []));
        store.SetAuthFailures("acme", 2);
        store.SetAuthFailures("globex", 1);
        store.SetAuthFailures("über-tenant", 5);
        store.SetAuthFailures("über-tenant", 0);
    }

    internal static string Describe(IRelayStore store)
    {
        var lines = new List<string>
        {
            $"counters acme={store.GetCounter("acme")} globex={store.GetCounter("globex")} none={store.GetCounter("none")}",
            "results " + Hex.Of(store.FindResult("acme", [0x01, 0x02]) ?? []) + " " + Hex.Of(store.FindResult("acme", [0x03]) ?? [])
                + " " + (store.FindResult("über-tenant", [0x04])?.Length ?? -1),
            $"auth failures acme={store.GetAuthFailures("acme")} globex={store.GetAuthFailures("globex")} über-tenant={store.GetAuthFailures("über-tenant")}",
        };
        foreach (InFlightRun run in store.Runs().OrderBy(r => r.TenantId))
        {
            lines.Add($"run {run.TenantId} {Hex.Of(run.ScriptId)} c={run.Counter} n={run.StepCount} s={run.Sending} a={run.AnsweredCount} "
                + string.Join(",", run.Report().Select(s => $"{s.Index}:{s.Outcome}:{s.Sw:X4}" + (s.Data is null ? "" : ":" + Hex.Of(s.Data)))));
        }

        return string.Join("\n", lines);
    }

    [Fact]
    public void Reopen_NewInstanceOnSameStorage_RestoresCountersResultsAndTraces()
    {
        var storage = new DurableMemoryStorage();
        var first = new DurableRelayStore(storage, 4);
        Fill(first);
        var memory = new InMemoryRelayStore(4);
        Fill(memory);

        var second = new DurableRelayStore(storage, 4);

        Assert.Equal(Describe(memory), Describe(second));
        Assert.Contains("run acme AABB c=42 n=5 s=2 a=2 0:Passed:9000:0909,1:SwMismatch:6A82,2:SentUnknown:0000", Describe(second));
        Assert.Contains("auth failures acme=2 globex=1 über-tenant=0", Describe(second));
    }

    [Fact]
    public void Reopen_OverTwoSlots_RestoresEverything()
    {
        var slots = new DurableMemorySlots();
        Fill(new DurableRelayStore(new TwoSlotRecordStorage(slots), 4));
        var memory = new InMemoryRelayStore(4);
        Fill(memory);

        Assert.Equal(Describe(memory), Describe(new DurableRelayStore(new TwoSlotRecordStorage(slots), 4)));
    }

    [Fact]
    public void Reopen_WithSmallerBound_KeepsTheNewestResults()
    {
        var storage = new DurableMemoryStorage();
        var first = new DurableRelayStore(storage, 4);
        first.SaveResult("acme", [1], [1]);
        first.SaveResult("acme", [2], [2]);
        first.SaveResult("acme", [3], [3]);

        var second = new DurableRelayStore(storage, 2);
        Assert.Null(second.FindResult("acme", [1]));
        Assert.Equal([3], second.FindResult("acme", [3]));
    }

    [Fact]
    public void EveryChange_IsWrittenBeforeReturning()
    {
        var storage = new DurableMemoryStorage();
        var store = new DurableRelayStore(storage);
        store.BeginRun(new InFlightRun("acme", [1], 1, 3));
        store.MarkSending("acme", 0);

        // What a reboot right now would see: step 0 sent, answer unknown.
        InFlightRun run = Assert.Single(new DurableRelayStore(storage).Runs());
        Assert.Equal(0, run.Sending);
        Assert.Equal(2, store.Writes);
        Assert.Equal(2, storage.WriteCount);

        store.GetCounter("acme");
        store.FindResult("acme", [1]);
        store.Runs();
        Assert.Equal(2, storage.WriteCount);
    }

    [Fact]
    public void WriteThrows_PreviousRecordStaysIntact()
    {
        var storage = new DurableMemoryStorage { FailAtWrite = 3 };
        var store = new DurableRelayStore(storage);
        store.SetCounter("acme", 1);
        store.BeginRun(new InFlightRun("acme", [1], 1, 3));
        var e = Assert.Throws<RelayStoreException>(() => store.MarkSending("acme", 0));
        Assert.Equal(RelayStoreError.WriteFailed, e.Error);
        Assert.IsType<PowerCutException>(e.InnerException);
        Assert.Equal(-1, Assert.Single(store.Runs()).Sending);

        var reopened = new DurableRelayStore(storage);
        Assert.Equal(1UL, reopened.GetCounter("acme"));
        Assert.Equal(-1, Assert.Single(reopened.Runs()).Sending);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(30)]
    public void TornSlotWrite_AtAnyLength_LeavesPreviousState(int tornLength)
    {
        var slots = new DurableMemorySlots();
        var store = new DurableRelayStore(new TwoSlotRecordStorage(slots));
        store.SetCounter("acme", 1);
        store.SetCounter("acme", 2);
        slots.TearAtWrite = 3;
        slots.TornLength = tornLength;
        Assert.IsType<PowerCutException>(Assert.Throws<RelayStoreException>(() => store.SetCounter("acme", 3)).InnerException);
        Assert.Equal(2UL, store.GetCounter("acme"));

        Assert.Equal(2UL, new DurableRelayStore(new TwoSlotRecordStorage(slots)).GetCounter("acme"));
    }

    [Fact]
    public void Recover_AfterPowerCutAndReopen_ReportsInterruptedRunAndKeepsCounter()
    {
        var storage = new DurableMemoryStorage();
        var before = new RelayRig(new DurableRelayStore(storage, 4));
        before.Transport.FailAt = 5; // MANAGE CHANNEL, SELECT, then step 2 of the script
        Assert.Throws<PowerCutException>(() => before.Relay.Submit("acme", RelayRig.Script("acme", 1, "five", RelayRig.AcmeSd,
            Enumerable.Repeat(RelayRig.Step(RelayRig.GetIinCh1), 5).ToArray())));

        var after = new RelayRig(new DurableRelayStore(storage, 4));
        Assert.Equal(1, after.Relay.Recover());
        ScriptResult result = after.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Interrupted, 2), (result.Outcome, result.FailedStep));
        Assert.Equal(StepOutcome.SentUnknown, result.Steps[2].Outcome);
        Assert.Equal(1UL, new DurableRelayStore(storage, 4).GetCounter("acme"));
        Assert.Empty(new DurableRelayStore(storage, 4).Runs());
    }

    [Fact]
    public void Open_CorruptRecord_ThrowsInsteadOfStartingEmpty()
    {
        var storage = new DurableMemoryStorage();
        Fill(new DurableRelayStore(storage));
        storage.Record![storage.Record.Length / 2] ^= 0x04;

        var e = Assert.Throws<RelayStoreException>(() => new DurableRelayStore(storage));
        Assert.Equal(RelayStoreError.ChecksumMismatch, e.Error);
    }

    [Fact]
    public void Open_EmptyStorage_StartsEmptyWithoutWriting()
    {
        var storage = new DurableMemoryStorage();
        var store = new DurableRelayStore(storage);
        Assert.Equal(0UL, store.GetCounter("acme"));
        Assert.Empty(store.Runs());
        Assert.Equal(0, storage.WriteCount);
    }
}
