using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>The same checks against <see cref="InMemoryRelayStore"/> and <see cref="DurableRelayStore"/>: same semantics.</summary>
public class DurableRelayStoreParityTests
{
    public static TheoryData<string> Stores => new() { "memory", "durable", "durable-two-slot", "journal", "journal-small" };

    private static IRelayStore Create(string kind, int resultsPerTenant) => kind switch
    {
        "memory" => new InMemoryRelayStore(resultsPerTenant),
        "durable" => new DurableRelayStore(new DurableMemoryStorage(), resultsPerTenant),
        "journal" => new DurableRelayStore(new TwoSlotRecordStorage(new DurableMemorySlots()), new DurableMemoryJournal(), resultsPerTenant, DurableRelayStore.DefaultJournalLimit),
        "journal-small" => new DurableRelayStore(new DurableMemoryStorage(), new DurableMemoryJournal(), resultsPerTenant, 64),
        _ => new DurableRelayStore(new TwoSlotRecordStorage(new DurableMemorySlots()), resultsPerTenant),
    };

    [Theory]
    [MemberData(nameof(Stores))]
    public void GetCounter_NoneSet_IsMinusOne(string kind)
    {
        Assert.Equal(0UL, Create(kind, 4).GetCounter("acme"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void SetCounter_PerTenant_KeepsLastValueIncludingMax(string kind)
    {
        IRelayStore store = Create(kind, 4);
        store.SetCounter("acme", 5);
        store.SetCounter("acme", 7);
        store.SetCounter("globex", uint.MaxValue);
        Assert.Equal(7UL, store.GetCounter("acme"));
        Assert.Equal((ulong)uint.MaxValue, store.GetCounter("globex"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void SaveResult_OverBound_DropsTheTenantsOldestOnly(string kind)
    {
        IRelayStore store = Create(kind, 2);
        store.SaveResult("acme", [1], [0xA1]);
        store.SaveResult("acme", [2], [0xA2]);
        store.SaveResult("globex", [1], [0xB1]);
        store.SaveResult("acme", [3], [0xA3]);

        Assert.Null(store.FindResult("acme", [1]));
        Assert.Equal([0xA2], store.FindResult("acme", [2]));
        Assert.Equal([0xA3], store.FindResult("acme", [3]));
        Assert.Equal([0xB1], store.FindResult("globex", [1]));
        Assert.Null(store.FindResult("nobody", [1]));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void SaveResult_SameIdAgain_ReplacesAndCountsAsNewest(string kind)
    {
        IRelayStore store = Create(kind, 2);
        store.SaveResult("acme", [1], [0x01]);
        store.SaveResult("acme", [2], [0x02]);
        store.SaveResult("acme", [1], [0x11]);
        store.SaveResult("acme", [3], [0x03]);

        Assert.Equal([0x11], store.FindResult("acme", [1]));
        Assert.Null(store.FindResult("acme", [2]));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void FindResult_ReturnsACopy(string kind)
    {
        IRelayStore store = Create(kind, 2);
        byte[] result = [0x10, 0x20];
        store.SaveResult("acme", [1], result);
        result[0] = 0xFF;
        store.FindResult("acme", [1])![1] = 0xFF;
        Assert.Equal([0x10, 0x20], store.FindResult("acme", [1]));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Trace_SendingThenAnswered_ReportsAnsweredThenSentUnknown(string kind)
    {
        IRelayStore store = Create(kind, 4);
        store.BeginRun(new InFlightRun("acme", [0xAB], 9, 3));
        store.MarkSending("acme", 0);
        store.MarkAnswered("acme", new StepResult(0, StepOutcome.Passed, 0x9000, [1, 2]));
        store.MarkSending("acme", 1);

        InFlightRun run = Assert.Single(store.Runs());
        Assert.Equal(("acme", 9u, 3, 1, 1), (run.TenantId, run.Counter, run.StepCount, run.Sending, run.AnsweredCount));
        StepResult[] report = run.Report();
        Assert.Equal((0, StepOutcome.Passed, (ushort)0x9000), (report[0].Index, report[0].Outcome, report[0].Sw));
        Assert.Equal([1, 2], report[0].Data); // the data the step asked for (e.g. the INITIALIZE UPDATE answer) stays in the trace
        Assert.Equal((1, StepOutcome.SentUnknown), (report[1].Index, report[1].Outcome));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Trace_BeginRunAgain_ReplacesTheTenantsTrace_EndRunRemovesIt(string kind)
    {
        IRelayStore store = Create(kind, 4);
        store.BeginRun(new InFlightRun("acme", [1], 1, 2));
        store.MarkSending("acme", 0);
        store.BeginRun(new InFlightRun("acme", [2], 2, 5));
        store.BeginRun(new InFlightRun("globex", [3], 1, 0));

        Assert.Equal(2, store.Runs().Length);
        InFlightRun acme = store.Runs().Single(r => r.TenantId == "acme");
        Assert.Equal([2], acme.ScriptId);
        Assert.Equal((2u, -1), (acme.Counter, acme.Sending));

        store.EndRun("acme");
        store.EndRun("nobody");
        Assert.Equal("globex", Assert.Single(store.Runs()).TenantId);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void AuthFailures_PerTenant_SetAndCleared(string kind)
    {
        IRelayStore store = Create(kind, 4);
        Assert.Equal(0, store.GetAuthFailures("acme"));
        store.SetAuthFailures("acme", 1);
        store.SetAuthFailures("acme", 2);
        store.SetAuthFailures("globex", 1);
        store.SetAuthFailures("globex", 0);
        Assert.Equal((2, 0, 0), (store.GetAuthFailures("acme"), store.GetAuthFailures("globex"), store.GetAuthFailures("nobody")));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Trace_EmptyAndAbsentData_StayApart(string kind)
    {
        IRelayStore store = Create(kind, 4);
        store.BeginRun(new InFlightRun("acme", [0xAB], 9, 2));
        store.MarkAnswered("acme", new StepResult(0, StepOutcome.Passed, 0x9000, []));
        store.MarkAnswered("acme", new StepResult(1, StepOutcome.Passed, 0x9000, null));

        StepResult[] report = Assert.Single(store.Runs()).Report();
        Assert.Equal([], report[0].Data);
        Assert.Null(report[1].Data);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Trace_MarksWithoutRun_AreIgnored(string kind)
    {
        IRelayStore store = Create(kind, 4);
        store.MarkSending("acme", 0);
        store.MarkAnswered("acme", new StepResult(0, StepOutcome.Passed, 0x9000, null));
        Assert.Empty(store.Runs());
    }
}
