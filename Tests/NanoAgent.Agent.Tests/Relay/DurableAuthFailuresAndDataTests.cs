using System.Collections;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.T1;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// <see cref="DurableRelayStore"/> keeps the EXTERNAL AUTHENTICATE guard's count (docs/protocol.md §4.5) and the response data
/// of answered steps across a reboot: snapshot path, journal path, after compaction, with failing writes, and old records.
/// </summary>
public class DurableAuthFailuresAndDataTests
{
    private static DurableRelayStore Open(DurableMemorySlots slots, DurableMemoryJournal journal, int limit = DurableRelayStore.DefaultJournalLimit) =>
        new(new TwoSlotRecordStorage(slots), journal, 4, limit);

    // A journal record with its CRC (RelayJournalWriter layout).
    private static byte[] Record(byte type, string payloadHex)
    {
        byte[] payload = Hex.Parse(payloadHex);
        byte[] record = [type, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload, 0, 0];
        ushort crc = Crc16X25.Compute(record, 0, record.Length - 2);
        record[^2] = (byte)(crc >> 8);
        record[^1] = (byte)crc;
        return record;
    }

    // A snapshot record around a body (RelayStoreCodec layout).
    private static byte[] Snapshot(byte version, string bodyHex)
    {
        byte[] body = Hex.Parse(bodyHex);
        byte[] record = [version, (byte)(body.Length >> 24), (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body, 0, 0];
        ushort crc = Crc16X25.Compute(record, 0, record.Length - 2);
        record[^2] = (byte)(crc >> 8);
        record[^1] = (byte)crc;
        return record;
    }

    [Fact]
    public void AuthFailures_SnapshotOnlyStore_SurviveReopen()
    {
        var storage = new DurableMemoryStorage();
        var store = new DurableRelayStore(storage, 4);
        store.SetAuthFailures("acme", 2);
        store.SetAuthFailures("globex", 1);
        store.SetAuthFailures("globex", 0);

        var reopened = new DurableRelayStore(storage, 4);
        Assert.Equal((2, 0), (reopened.GetAuthFailures("acme"), reopened.GetAuthFailures("globex")));
        Assert.Equal(3, storage.WriteCount);
    }

    [Fact]
    public void AuthFailures_JournalPath_ReplayedOnReopen_WithoutASnapshot()
    {
        var slots = new DurableMemorySlots();
        var journal = new DurableMemoryJournal();
        var store = Open(slots, journal);
        store.SetAuthFailures("acme", 1);
        store.SetAuthFailures("acme", 2);

        Assert.Equal(0, store.Snapshots);
        Assert.Equal(2, Open(slots, journal).GetAuthFailures("acme"));

        // The record: 08 { tenant "acme", failures 00000002 }, 5 + 5 + 4 bytes.
        Assert.EndsWith(Hex.Of(Record(0x08, "0461636D6500000002")), Hex.Of(journal.Data!));
    }

    [Fact]
    public void AuthFailures_AfterCompaction_AreInTheSnapshot()
    {
        var slots = new DurableMemorySlots();
        var journal = new DurableMemoryJournal();
        var store = Open(slots, journal, 64);
        store.SetAuthFailures("acme", 2);
        store.SetAuthFailures("ü", 7);
        store.SetAuthFailures("ü", 0);
        for (uint i = 1; i < 20; i++)
        {
            store.SetCounter("acme", i);
        }

        Assert.True(store.Snapshots > 0);
        Assert.Equal((2, 0), (Open(slots, journal, 64).GetAuthFailures("acme"), Open(slots, journal, 64).GetAuthFailures("ü")));

        // The snapshot alone (the journal lost) holds them too.
        Assert.Equal(2, Open(slots, new DurableMemoryJournal(), 64).GetAuthFailures("acme"));
    }

    [Fact]
    public void AuthGuardGrant_SurvivesAPowerCut_OldRecordReadsAsNoGrant()
    {
        // docs/protocol.md §4.5 through the relay on a board's store: one failure, then the tenant's reset grants one attempt.
        var slots = new DurableMemorySlots();
        var journal = new DurableMemoryJournal();
        var rig = new RelayRig(store: Open(slots, journal));
        rig.Relay.Submit("acme", Script("acme", 1, "s", AcmeSd));
        rig.Relay.Forward("acme", Apdu("acme", "s", 1, "85823300100102030405060708090A0B0C0D0E0F10", end: true));
        rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(Signer("acme").Sign(new ScriptRequest
        {
            ScriptId = "r"u8.ToArray(), TenantId = "acme", Counter = 2, TargetAid = Hex.Parse(AcmeSd), Mode = ScriptMode.Batch,
            ResetAuthGuard = true, Steps = [Step(GetIinCh1)],
        })));
        Assert.Equal(1 | AuthGuardState.GrantedBit, rig.Store.GetAuthFailures("acme"));

        // The power cut: the board starts again from what the journal holds; the grant is there, its attempt goes out.
        var after = new RelayRig(store: Open(slots, journal));
        Assert.Equal(1 | AuthGuardState.GrantedBit, after.Store.GetAuthFailures("acme"));
        after.Relay.Submit("acme", Script("acme", 3, "go", AcmeSd, Step("815000000801020304050607080" + "0", 0x9000, 0x0000)));
        Assert.Equal(ScriptOutcome.Completed, after.Listener.LastResult.Outcome);

        // A record 08 written before grants existed holds the count alone: read as "no attempt granted".
        var old = new DurableMemoryJournal { Data = [.. Record(0x01, "00000000"), .. Record(0x08, "0461636D6500000001")] };
        var oldRig = new RelayRig(store: Open(new DurableMemorySlots(), old));
        Assert.Equal((1, false), (AuthGuardState.Failures(oldRig.Store.GetAuthFailures("acme")), AuthGuardState.IsGranted(oldRig.Store.GetAuthFailures("acme"))));
        oldRig.Relay.Submit("acme", Script("acme", 1, "b", AcmeSd, Step("815000000801020304050607080" + "0", 0x9000, 0x0000)));
        Assert.Equal(RejectReason.AuthLockout, oldRig.Listener.LastResult.Reason);
    }

    [Fact]
    public void AuthFailures_JournalWriteFails_MemoryEqualsStorage()
    {
        var slots = new DurableMemorySlots();
        var journal = new DurableMemoryJournal();
        var store = Open(slots, journal);
        store.SetAuthFailures("acme", 1);
        journal.TearAtWrite = journal.WriteCount + 1;
        journal.TornLength = 6;

        var e = Assert.Throws<RelayStoreException>(() => store.SetAuthFailures("acme", 2));

        Assert.Equal(RelayStoreError.WriteFailed, e.Error);
        Assert.IsType<PowerCutException>(e.InnerException);
        Assert.Equal(1, store.GetAuthFailures("acme"));
        Assert.Equal(1, Open(slots, journal).GetAuthFailures("acme"));

        // The store goes on: the next write compacts past the torn tail.
        store.SetAuthFailures("acme", 2);
        Assert.Equal(2, Open(slots, journal).GetAuthFailures("acme"));
    }

    [Fact]
    public void AuthFailures_SnapshotWriteFails_MemoryEqualsStorage()
    {
        var storage = new DurableMemoryStorage();
        var store = new DurableRelayStore(storage, 4);
        store.SetAuthFailures("acme", 1);
        storage.FailAtWrite = 2;

        var e = Assert.Throws<RelayStoreException>(() => store.SetAuthFailures("acme", 2));

        Assert.Equal(RelayStoreError.WriteFailed, e.Error);
        Assert.Equal(1, store.GetAuthFailures("acme"));
        Assert.Equal(1, new DurableRelayStore(storage, 4).GetAuthFailures("acme"));
    }

    [Fact]
    public void AuthFailures_Negative_RefusedBeforeAnyWrite()
    {
        var journal = new DurableMemoryJournal();
        var store = Open(new DurableMemorySlots(), journal);
        store.SetAuthFailures("acme", 1);
        int writes = journal.WriteCount;

        Assert.Throws<ArgumentOutOfRangeException>(() => store.SetAuthFailures("acme", -1));

        Assert.Equal((writes, 1), (journal.WriteCount, store.GetAuthFailures("acme")));
    }

    [Fact]
    public void OldRecords_WithoutFailuresOrData_StillLoad()
    {
        // A version 2 snapshot as written before E4 existed: generation 1, E1 { "acme", 5 }, E3 run with one 7-byte step.
        var slots = new DurableMemorySlots();
        var snapshot = new TwoSlotRecordStorage(slots);
        byte[] old = Snapshot(2, "C10400000001" + "E11080046163" + "6D65810800000000" + "00000005"
            + "E32880046163" + "6D65820122" + "81080000000000000005" + "840400000003" + "8504FFFFFFFF" + "860700000000" + "019000");
        snapshot.Write(old, 0, old.Length);

        // A journal of that generation as written before record 08 and data in 06: step 1 answered 6A82.
        var journal = new DurableMemoryJournal
        {
            Data = [.. Record(0x01, "00000001"), .. Record(0x06, "0461636D65" + "00000001" + "02" + "6A82")],
        };

        var store = Open(slots, journal);
        Assert.Equal((5UL, 0), (store.GetCounter("acme"), store.GetAuthFailures("acme")));
        StepResult[] steps = Assert.Single(store.Runs()).Report();
        Assert.Equal([(0, StepOutcome.Passed, (ushort)0x9000), (1, StepOutcome.SwMismatch, (ushort)0x6A82)], steps.Select(s => (s.Index, s.Outcome, s.Sw)));
        Assert.All(steps, s => Assert.Null(s.Data));

        // It goes on with the new records.
        store.SetAuthFailures("acme", 1);
        Assert.Equal(1, Open(slots, journal).GetAuthFailures("acme"));
    }

    [Fact]
    public void Codec_AuthFailuresAndStepData_ReadBackAsWritten()
    {
        var counters = new Hashtable();
        var results = new Hashtable();
        var runs = new Hashtable();
        var failures = new Hashtable { ["acme"] = 2 };
        var run = new InFlightRun("acme", [0x22], 5, 3);
        run.MarkAnswered(new StepResult(0, StepOutcome.Passed, 0x9000, [0xAA, 0xBB]));
        run.MarkAnswered(new StepResult(1, StepOutcome.Passed, 0x9000, []));
        run.MarkAnswered(new StepResult(2, StepOutcome.SwMismatch, 0x6985, null));
        runs["acme"] = run;
        byte[] buffer = new byte[256];
        int length = new RelayStoreCodec().Encode(buffer, 0, buffer.Length, counters, results, runs, failures, 3);
        string body = Hex.Of(buffer, 5, length - 7);

        // 86 { index, outcome | 80 when data follows, SW, data }; E4 { 80 tenant, 87 failures }.
        Assert.Contains("8609000000008190" + "00AABB", body);
        Assert.Contains("860700000001819000", body);
        Assert.Contains("860700000002026985", body);
        Assert.EndsWith("E40C80046163" + "6D65870400000002", body);

        var readFailures = new Hashtable();
        var readRuns = new Hashtable();
        Assert.Equal(3u, RelayStoreCodec.Decode(buffer[..length], new Hashtable(), new Hashtable(), readRuns, readFailures));
        Assert.Equal(2, readFailures["acme"]);
        StepResult[] steps = ((InFlightRun)readRuns["acme"]!).Report();
        Assert.Equal([0xAA, 0xBB], steps[0].Data);
        Assert.Equal([], steps[1].Data);
        Assert.Null(steps[2].Data);
    }

    [Theory]
    [InlineData("E40C800461636D65870400000000")] // a zero count is never written
    [InlineData("E40C800461636D65870480000000")] // above int
    [InlineData("E40A800461636D65870200")] // not four bytes
    [InlineData("E406800461636D65")] // no count
    [InlineData("E3298004" + "61636D65" + "820122" + "81080000000000000005" + "840400000003" + "8504FFFFFFFF" + "860800000000" + "01900001")] // data without the bit
    public void Codec_BadNewObjects_Malformed(string bodyHex)
    {
        var e = Assert.Throws<RelayStoreException>(() => RelayStoreCodec.Decode(Snapshot(2, bodyHex), new Hashtable(), new Hashtable(), new Hashtable(), new Hashtable()));
        Assert.Equal(RelayStoreError.Malformed, e.Error);
    }

    [Theory]
    [InlineData("0461636D6580000000")] // above int
    [InlineData("0461636D65000000")] // cut short
    [InlineData("0461636D650000000100")] // extra bytes
    public void Journal_BadAuthFailuresRecord_Malformed(string payloadHex)
    {
        var journal = new DurableMemoryJournal { Data = [.. Record(0x01, "00000000"), .. Record(0x08, payloadHex), .. Record(0x07, "0461636D65")] };
        var e = Assert.Throws<RelayStoreException>(() => Open(new DurableMemorySlots(), journal));
        Assert.Equal(RelayStoreError.Malformed, e.Error);
    }

    [Fact]
    public void Journal_AnsweredWithoutTheDataBit_ExtraBytesMalformed()
    {
        var journal = new DurableMemoryJournal
        {
            Data = [.. Record(0x01, "00000000"), .. Record(0x04, "0461636D65" + "0122" + "0000000000000001" + "00000002"),
                .. Record(0x06, "0461636D65" + "00000000" + "01" + "9000" + "AA"), .. Record(0x07, "0461636D65")],
        };
        Assert.Equal(RelayStoreError.Malformed, Assert.Throws<RelayStoreException>(() => Open(new DurableMemorySlots(), journal)).Error);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(DurableRelayStore.DefaultJournalLimit)]
    public void StepData_SurvivesReopen_NullEmptyAndBoundKept(int limit)
    {
        var slots = new DurableMemorySlots();
        var journal = new DurableMemoryJournal();
        var store = Open(slots, journal, limit);
        store.BeginRun(new InFlightRun("acme", [0x5C], 1, 5));
        byte[] answer = Enumerable.Range(0, 29).Select(i => (byte)i).ToArray();
        byte[] longest = new byte[DurableRelayStore.MaxStepData];
        store.MarkAnswered("acme", new StepResult(0, StepOutcome.Passed, 0x9000, answer));
        store.MarkAnswered("acme", new StepResult(1, StepOutcome.Passed, 0x9000, []));
        store.MarkAnswered("acme", new StepResult(2, StepOutcome.Passed, 0x9000, null));
        store.MarkAnswered("acme", new StepResult(3, StepOutcome.Passed, 0x9000, longest));
        store.MarkAnswered("acme", new StepResult(4, StepOutcome.SwMismatch, 0x6A80, new byte[DurableRelayStore.MaxStepData + 1]));

        foreach (IRelayStore s in new IRelayStore[] { store, Open(slots, journal, limit) })
        {
            StepResult[] steps = Assert.Single(s.Runs()).Report();
            Assert.Equal(answer, steps[0].Data);
            Assert.Equal([], steps[1].Data);
            Assert.Null(steps[2].Data);
            Assert.Equal(longest, steps[3].Data);
            Assert.Equal((StepOutcome.SwMismatch, (ushort)0x6A80), (steps[4].Outcome, steps[4].Sw));
            Assert.Null(steps[4].Data); // over the bound: the SW only, in memory as on storage
        }
    }

    [Fact]
    public void StepData_SnapshotOnlyStore_SurvivesReopen()
    {
        var storage = new DurableMemoryStorage();
        var store = new DurableRelayStore(storage, 4);
        store.BeginRun(new InFlightRun("acme", [0x5C], 1, 2));
        store.MarkAnswered("acme", new StepResult(0, StepOutcome.Passed, 0x9000, [1, 2, 3]));

        Assert.Equal([1, 2, 3], Assert.Single(new DurableRelayStore(storage, 4).Runs()).Report()[0].Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Recover_AfterPowerCutAndReopen_ReportsTheDataTheAnsweredStepsAskedFor(bool withJournal)
    {
        ScriptRequest Request() => Script("acme", 1, "data", AcmeSd, Step(GetIinCh1, data: true), Step(GetIinCh1), Step(GetIinCh1, data: true));
        var reference = new RelayRig();
        reference.Relay.Submit("acme", Request());
        byte[] expected = reference.Listener.LastResult.Steps[0].Data!;
        Assert.NotEmpty(expected);

        var slots = new DurableMemorySlots();
        var journal = new DurableMemoryJournal();
        DurableRelayStore Reopen() => withJournal ? Open(slots, journal) : new DurableRelayStore(new TwoSlotRecordStorage(slots), 4);
        var before = new RelayRig(Reopen());
        before.Transport.FailAt = 5; // MANAGE CHANNEL, SELECT, steps 0 and 1, then the cut at step 2
        Assert.Throws<PowerCutException>(() => before.Relay.Submit("acme", Request()));

        var after = new RelayRig(Reopen());
        Assert.Equal(1, after.Relay.Recover());

        ScriptResult result = after.Listener.LastResult;
        Assert.Equal((ScriptOutcome.Interrupted, 2), (result.Outcome, result.FailedStep));
        Assert.Equal(expected, result.Steps[0].Data);
        Assert.Null(result.Steps[1].Data);
        Assert.Equal(StepOutcome.SentUnknown, result.Steps[2].Outcome);
    }
}
