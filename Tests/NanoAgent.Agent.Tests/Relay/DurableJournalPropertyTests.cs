using CsCheck;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>Property tests of the relay journal: any bytes are read or refused cleanly; any change sequence reopens as it was.</summary>
public class DurableJournalPropertyTests
{
    private static DurableRelayStore Open(DurableMemorySlots slots, DurableMemoryJournal journal, int limit) =>
        new(new TwoSlotRecordStorage(slots), journal, 4, limit);

    // A record with a valid CRC around any type and payload (RelayJournalWriter layout), to reach the payload checks.
    private static byte[] Seal(byte type, byte[] payload)
    {
        byte[] record = [type, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload, 0, 0];
        ushort crc = Crc16X25.Compute(record, 0, record.Length - 2);
        record[^2] = (byte)(crc >> 8);
        record[^1] = (byte)crc;
        return record;
    }

    [Fact]
    public void Open_RandomJournalBytes_OpensOrThrowsRelayStoreException()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            try
            {
                Open(new DurableMemorySlots(), new DurableMemoryJournal { Data = bytes }, 64);
            }
            catch (RelayStoreException)
            {
            }
        }, iter: 2000);
    }

    [Fact]
    public void Open_SealedRecordsWithRandomPayloads_OpensOrThrowsRelayStoreException()
    {
        byte[] header = Seal(0x01, [0, 0, 0, 0]);
        Gen.Select(Gen.Byte[0, 9], Gen.Byte.Array[0, 40]).Array[1, 4].Sample(records =>
        {
            byte[] journal = [.. header, .. records.SelectMany(r => Seal(r.Item1, r.Item2))];
            try
            {
                Open(new DurableMemorySlots(), new DurableMemoryJournal { Data = journal }, 64);
            }
            catch (RelayStoreException)
            {
            }
        }, iter: 3000);
    }

    [Fact]
    public void Reopen_AnyChangeSequence_EqualsTheInMemoryStore()
    {
        string[] tenants = ["acme", "globex", "ü"];
        Gen<Action<IRelayStore>> change = Gen.OneOf(
            Gen.Select(Gen.Int[0, 2], Gen.UInt).Select<int, uint, Action<IRelayStore>>((t, c) => s => s.SetCounter(tenants[t], c)),
            Gen.Select(Gen.Int[0, 2], Gen.Byte.Array[1, 4], Gen.Byte.Array[0, 60]).Select<int, byte[], byte[], Action<IRelayStore>>((t, id, r) => s => s.SaveResult(tenants[t], id, r)),
            Gen.Select(Gen.Int[0, 2], Gen.Byte.Array[1, 4], Gen.UInt, Gen.Int[0, 50]).Select<int, byte[], uint, int, Action<IRelayStore>>((t, id, c, n) => s => s.BeginRun(new InFlightRun(tenants[t], id, c, n))),
            Gen.Select(Gen.Int[0, 2], Gen.Int[0, 50]).Select<int, int, Action<IRelayStore>>((t, i) => s => s.MarkSending(tenants[t], i)),
            Gen.Select(Gen.Int[0, 2], Gen.Int[0, 50], Gen.Int[0, 3], Gen.UShort).Select<int, int, int, ushort, Action<IRelayStore>>((t, i, o, sw) => s => s.MarkAnswered(tenants[t], new StepResult(i, (StepOutcome)o, sw, null))),
            Gen.Select(Gen.Int[0, 2], Gen.Int[0, 50], Gen.UShort, Gen.Byte.Array[0, DurableRelayStore.MaxStepData]).Select<int, int, ushort, byte[], Action<IRelayStore>>((t, i, sw, d) => s => s.MarkAnswered(tenants[t], new StepResult(i, StepOutcome.Passed, sw, d))),
            Gen.Select(Gen.Int[0, 2], Gen.OneOf(Gen.Const(0), Gen.Int[1, 3], Gen.Int[0, int.MaxValue])).Select<int, int, Action<IRelayStore>>((t, n) => s => s.SetAuthFailures(tenants[t], n)),
            Gen.Int[0, 2].Select<int, Action<IRelayStore>>(t => s => s.EndRun(tenants[t])));
        Gen.Select(change.Array[1, 40], Gen.OneOf(Gen.Const(64), Gen.Const(300), Gen.Const(DurableRelayStore.DefaultJournalLimit))).Sample((changes, limit) =>
        {
            var slots = new DurableMemorySlots();
            var journal = new DurableMemoryJournal();
            DurableRelayStore store = Open(slots, journal, limit);
            var reference = new InMemoryRelayStore(4);
            foreach (Action<IRelayStore> c in changes)
            {
                c(store);
                c(reference);
            }

            string expected = Describe(reference, tenants);
            return Describe(store, tenants) == expected && Describe(Open(slots, journal, limit), tenants) == expected;
        }, iter: 300);
    }

    private static string Describe(IRelayStore store, string[] tenants)
    {
        var lines = tenants.Select(t => $"{t}={store.GetCounter(t)} auth={store.GetAuthFailures(t)}").ToList();
        foreach (InFlightRun run in store.Runs().OrderBy(r => r.TenantId, StringComparer.Ordinal))
        {
            lines.Add($"run {run.TenantId} {Convert.ToHexString(run.ScriptId)} c={run.Counter} n={run.StepCount} s={run.Sending} "
                + string.Join(",", run.Report().Select(s => $"{s.Index}:{s.Outcome}:{s.Sw:X4}:{(s.Data is null ? "-" : Convert.ToHexString(s.Data))}")));
        }

        return string.Join("\n", lines);
    }
}
