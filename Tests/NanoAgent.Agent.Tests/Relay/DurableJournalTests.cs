using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary><see cref="DurableRelayStore"/> over a snapshot and a journal: reopening, torn appends, write cost per step.</summary>
public class DurableJournalTests
{
    private static DurableRelayStore Open(IRecordSlots slots, IJournalStorage journal, int limit = DurableRelayStore.DefaultJournalLimit) =>
        new(new TwoSlotRecordStorage(slots), journal, 4, limit);

    // The relay's writes for one script of n steps, in its order (ScriptRelay: begin, sending/answered per step, result, end).
    private static void RunScript(IRelayStore store, string tenant, uint counter, int steps)
    {
        store.SetCounter(tenant, counter);
        store.BeginRun(new InFlightRun(tenant, [(byte)counter, 0x5C], counter, steps));
        for (int i = 0; i < steps; i++)
        {
            store.MarkSending(tenant, i);
            store.MarkAnswered(tenant, new StepResult(i, StepOutcome.Passed, 0x9000, null));
        }

        store.SaveResult(tenant, [(byte)counter, 0x5C], new byte[40]);
        store.EndRun(tenant);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(DurableRelayStore.DefaultJournalLimit)]
    public void Reopen_AfterChangesAndCompactions_RestoresEverything(int limit)
    {
        var slots = new DurableMemorySlots();
        var journal = new DurableMemoryJournal();
        DurableRelayStoreTests.Fill(Open(slots, journal, limit));
        var memory = new InMemoryRelayStore(4);
        DurableRelayStoreTests.Fill(memory);

        Assert.Equal(DurableRelayStoreTests.Describe(memory), DurableRelayStoreTests.Describe(Open(slots, journal, limit)));
    }

    [Fact]
    public void Step_AppendsTwoSmallRecords_AndWritesNoSnapshot()
    {
        var meter = new FlashWearMeter(4096);
        var store = Open(new WearCountingSlots(new DurableMemorySlots(), meter), new WearCountingJournal(new DurableMemoryJournal(), meter));
        store.SetCounter("acme", 1);
        store.BeginRun(new InFlightRun("acme", [1], 1, 3));
        meter.Clear();

        store.MarkSending("acme", 0);
        store.MarkAnswered("acme", new StepResult(0, StepOutcome.Passed, 0x9000, null));

        // Sending: 5 + tenant (1 + 4) + index (4) = 14; answered: 5 + 5 + index, outcome, SW (7) = 17 (RelayJournalWriter layout).
        Assert.Equal((2, 31, 0), (meter.WriteOperations, meter.BytesWritten, meter.EraseUnits));

        // A step that asked for data adds exactly its data; data over the bound is not kept (SW only).
        meter.Clear();
        store.MarkSending("acme", 1);
        store.MarkAnswered("acme", new StepResult(1, StepOutcome.Passed, 0x9000, new byte[29]));
        Assert.Equal((2, 31 + 29, 0), (meter.WriteOperations, meter.BytesWritten, meter.EraseUnits));
        meter.Clear();
        store.MarkSending("acme", 2);
        store.MarkAnswered("acme", new StepResult(2, StepOutcome.Passed, 0x9000, new byte[DurableRelayStore.MaxStepData + 1]));
        Assert.Equal((2, 31, 0), (meter.WriteOperations, meter.BytesWritten, meter.EraseUnits));
    }

    [Fact]
    public void Open_CleanJournal_WritesNothing()
    {
        var slots = new DurableMemorySlots();
        var journal = new DurableMemoryJournal();
        RunScript(Open(slots, journal), "acme", 1, 3);
        int before = slots.WriteCount + journal.WriteCount;

        Open(slots, journal);

        Assert.Equal(before, slots.WriteCount + journal.WriteCount);
    }

    [Fact]
    public void PerStepCost_IsIndependentOfScriptLength()
    {
        var perStep = new Dictionary<int, double>();
        foreach (int steps in new[] { 10, 100, 1000 })
        {
            var meter = new FlashWearMeter(4096);
            var store = Open(new WearCountingSlots(new DurableMemorySlots(), meter), new WearCountingJournal(new DurableMemoryJournal(), meter));

            // Ten scripts, so the snapshots of the compactions they cause are counted too.
            for (uint script = 1; script <= 10; script++)
            {
                RunScript(store, "acme", script, steps);
            }

            perStep[steps] = (double)meter.BytesWritten / (10 * steps);
        }

        Console.WriteLine(string.Join(", ", perStep.Select(p => $"{p.Key} steps: {p.Value:F1} B/step")));

        // The step records alone are 31 bytes; snapshots may add at most half of that (journal up to twice the snapshot)
        // plus the per-script records spread over the steps.
        Assert.All(perStep.Values, cost => Assert.InRange(cost, 31, 31 * 1.5 + 12));
        Assert.InRange(perStep.Values.Max() / perStep.Values.Min(), 1, 1.3);
    }

    [Fact]
    public void PerStepCost_WithoutJournal_GrowsWithScriptLength()
    {
        // The design the journal replaces: every change rewrites the whole state, whose run trace grows with each step.
        var perStep = new Dictionary<int, double>();
        foreach (int steps in new[] { 10, 1000 })
        {
            var meter = new FlashWearMeter(4096);
            var store = new DurableRelayStore(new TwoSlotRecordStorage(new WearCountingSlots(new DurableMemorySlots(), meter)), 4);
            RunScript(store, "acme", 1, steps);
            perStep[steps] = (double)meter.BytesWritten / steps;
        }

        Assert.True(perStep[1000] > 20 * perStep[10], $"{perStep[1000]:F0} vs {perStep[10]:F0} B/step");
    }

    [Fact]
    public void PowerCut_AtEveryWriteAndEveryTornLength_ReopensToTheStateBeforeOrAfterThatChange()
    {
        // A reference run: the journal writes each change makes, and the state after each change.
        var ops = new List<Action<IRelayStore>>
        {
            s => s.SetCounter("acme", 1),
            s => s.BeginRun(new InFlightRun("acme", [0xA1], 1, 3)),
            s => s.MarkSending("acme", 0),
            s => s.MarkAnswered("acme", new StepResult(0, StepOutcome.Passed, 0x9000, null)),
            s => s.MarkSending("acme", 1),
            s => s.MarkAnswered("acme", new StepResult(1, StepOutcome.SwMismatch, 0x6A82, null)),
            s => s.SetAuthFailures("acme", 1),
            s => s.MarkSending("acme", 2),
            s => s.MarkAnswered("acme", new StepResult(2, StepOutcome.Passed, 0x9000, [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08])),
            s => s.SetAuthFailures("acme", 0),
            s => s.SaveResult("acme", [0xA1], new byte[30]),
            s => s.EndRun("acme"),
            s => s.SetCounter("globex", 9),
            s => s.BeginRun(new InFlightRun("globex", [0xB2], 9, 1)),
            s => s.MarkSending("globex", 0),
        };
        var states = new List<string> { DurableRelayStoreTests.Describe(new InMemoryRelayStore(4)) };
        var reference = new InMemoryRelayStore(4);
        foreach (var op in ops)
        {
            op(reference);
            states.Add(DurableRelayStoreTests.Describe(reference));
        }

        int totalWrites;
        {
            var slots = new DurableMemorySlots();
            var journal = new DurableMemoryJournal();
            var store = Open(slots, journal, 64);
            ops.ForEach(op => op(store));
            totalWrites = slots.WriteCount + journal.WriteCount;
        }

        for (int cut = 1; cut <= totalWrites; cut++)
        {
            for (int torn = 0; torn < 40; torn++)
            {
                var slots = new DurableMemorySlots();
                var journal = new DurableMemoryJournal();
                var store = Open(new CutSlots(slots, journal, cut, torn), new CutJournal(slots, journal, cut, torn), 64);
                int done = 0;
                try
                {
                    for (; done < ops.Count; done++)
                    {
                        ops[done](store);
                    }
                }
                catch (RelayStoreException e) when (e.InnerException is PowerCutException)
                {
                    // The failed instance holds what the storage holds.
                    Assert.Equal(DurableRelayStoreTests.Describe(Open(slots, journal, 64)), DurableRelayStoreTests.Describe(store));
                }

                var reopened = Open(slots, journal, 64);
                string state = DurableRelayStoreTests.Describe(reopened);
                Assert.True(state == states[done] || (done < ops.Count && state == states[done + 1]), $"cut at write {cut}, {torn} bytes kept, change {done}:\n{state}");

                // The reopened store goes on writing (a torn tail forces a snapshot first) and reopens to the same state.
                reopened.SetCounter("zeta", 77);
                string after = DurableRelayStoreTests.Describe(reopened);
                Assert.Equal(after, DurableRelayStoreTests.Describe(Open(slots, journal, 64)));
                Assert.Equal(77UL, Open(slots, journal, 64).GetCounter("zeta"));
            }
        }
    }

    [Fact]
    public void MarkAnswered_UndefinedOutcome_RefusedBeforeAnyWrite()
    {
        var journal = new DurableMemoryJournal();
        var store = Open(new DurableMemorySlots(), journal);
        store.BeginRun(new InFlightRun("acme", [1], 1, 3));
        int writes = journal.WriteCount;

        Assert.Throws<ArgumentOutOfRangeException>(() => store.MarkAnswered("acme", new StepResult(0, (StepOutcome)9, 0x9000, null)));

        Assert.Equal(writes, journal.WriteCount);
        Assert.Equal(0, Assert.Single(store.Runs()).AnsweredCount);
    }

    [Fact]
    public void Open_CorruptRecordInsideJournal_Throws()
    {
        var slots = new DurableMemorySlots();
        var journal = new DurableMemoryJournal();
        var store = Open(slots, journal);
        store.SetCounter("acme", 1);
        store.SetCounter("acme", 2);
        store.SetCounter("acme", 3);
        journal.Data![journal.Data.Length - 20] ^= 0x01; // inside the second counter record, with the third behind it

        var e = Assert.Throws<RelayStoreException>(() => Open(slots, journal));
        Assert.Equal(RelayStoreError.ChecksumMismatch, e.Error);
    }

    [Fact]
    public void Open_StaleJournalOfAnotherGeneration_IsIgnored()
    {
        var slots = new DurableMemorySlots();
        var journal = new DurableMemoryJournal();
        var store = Open(slots, journal);
        store.SetCounter("acme", 5);
        byte[] stale = journal.Data!;
        store = Open(slots, journal, 64);
        for (uint i = 6; i < 20; i++)
        {
            store.SetCounter("acme", i); // compacts: a newer generation
        }

        ulong inSnapshot = Open(slots, new DurableMemoryJournal(), 64).GetCounter("acme");
        journal.Data = stale; // a journal of an older generation: its changes are in the snapshot already

        Assert.True(inSnapshot > 5);
        Assert.Equal(inSnapshot, Open(slots, journal, 64).GetCounter("acme"));
    }

    // Cuts power at the n-th write over both storages together.
    private sealed class CutSlots(DurableMemorySlots slots, DurableMemoryJournal journal, int cut, int torn) : IRecordSlots
    {
        public byte[]? ReadSlot(int slot) => slots.ReadSlot(slot);

        public void WriteSlot(int slot, byte[] data, int offset, int count)
        {
            slots.TearAtWrite = slots.WriteCount + 1 + journal.WriteCount == cut ? slots.WriteCount + 1 : -1;
            slots.TornLength = torn;
            slots.WriteSlot(slot, data, offset, count);
        }
    }

    private sealed class CutJournal(DurableMemorySlots slots, DurableMemoryJournal journal, int cut, int torn) : IJournalStorage
    {
        public byte[]? Read() => journal.Read();

        public void Append(byte[] data, int offset, int count)
        {
            Arm();
            journal.Append(data, offset, count);
        }

        public void Reset(byte[] data, int offset, int count)
        {
            Arm();
            journal.Reset(data, offset, count);
        }

        private void Arm()
        {
            journal.TearAtWrite = slots.WriteCount + journal.WriteCount + 1 == cut ? journal.WriteCount + 1 : -1;
            journal.TornLength = torn;
        }
    }
}
