using CsCheck;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Agent;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>The persisted relay store: what a restarted agent (a new instance on the same file) sees (docs/protocol.md §6).</summary>
public sealed class FileRelayStoreTests
{
    [Fact]
    public void AuthFailuresAndEightByteCounters_SurviveANewInstance_AndAnOlderFileWithoutThemLoads()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");
        var store = FileRelayStore.Create(path);
        store.SetCounter("acme", ulong.MaxValue - 1);
        store.SetAuthFailures("acme", 2);
        store.SetAuthFailures("beta", 1);
        store.SetAuthFailures("beta", 0);

        var again = FileRelayStore.Open(path);
        Assert.Equal((ulong.MaxValue - 1, 2, 0), (again.GetCounter("acme"), again.GetAuthFailures("acme"), again.GetAuthFailures("beta")));

        File.WriteAllText(path, "{ \"version\": 1, \"counters\": { \"acme\": 4 }, \"results\": {}, \"runs\": [] }");
        var old = FileRelayStore.Open(path);
        Assert.Equal((4UL, 0), (old.GetCounter("acme"), old.GetAuthFailures("acme")));
    }

    [Fact]
    public void AuthGuardGrant_SurvivesARestart_OldFileReadsAsNoGrant()
    {
        // docs/protocol.md §4.5: the guard's count and a reset's unused grant are one number per tenant (AuthGuardState).
        using var dir = new TempDir();
        string path = dir.File("store.json");
        var store = FileRelayStore.Create(path);
        store.SetAuthFailures("acme", 1 | AuthGuardState.GrantedBit);
        store.SetAuthFailures("beta", 2);

        var again = FileRelayStore.Open(path);
        Assert.Equal((1, true), (AuthGuardState.Failures(again.GetAuthFailures("acme")), AuthGuardState.IsGranted(again.GetAuthFailures("acme"))));
        Assert.Equal((2, false), (AuthGuardState.Failures(again.GetAuthFailures("beta")), AuthGuardState.IsGranted(again.GetAuthFailures("beta"))));

        // A file written before grants existed: its count reads as a count, with no attempt granted.
        File.WriteAllText(path, "{ \"version\": 1, \"counters\": { \"acme\": 4 }, \"authFailures\": { \"acme\": 1 }, \"results\": {}, \"runs\": [] }");
        var old = FileRelayStore.Open(path);
        Assert.Equal((1, false), (AuthGuardState.Failures(old.GetAuthFailures("acme")), AuthGuardState.IsGranted(old.GetAuthFailures("acme"))));
    }

    [Fact]
    public void NewInstance_SameFile_SeesCountersResultsAndTrace()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");
        var store = FileRelayStore.Create(path, resultsPerTenant: 2);
        store.SetCounter("acme", 7);
        store.SaveResult("acme", [1], [0xA1]);
        store.SaveResult("acme", [2], [0xA2]);
        store.SaveResult("acme", [3], [0xA3]);
        store.BeginRun(new InFlightRun("beta", [9, 9], 5, 3));
        store.MarkSending("beta", 0);
        store.MarkAnswered("beta", new StepResult(0, StepOutcome.Passed, 0x9000, [1, 2]));
        store.MarkSending("beta", 1);

        var again = FileRelayStore.Open(path, resultsPerTenant: 2);

        Assert.Equal(7UL, again.GetCounter("acme"));
        Assert.Equal(0UL, again.GetCounter("beta"));
        Assert.Null(again.FindResult("acme", [1])); // the oldest went over the bound
        Assert.Equal("A3", Hex.Of(again.FindResult("acme", [3])!));
        InFlightRun run = Assert.Single(again.Runs());
        Assert.Equal(("beta", "0909", 5u, 3, 1), (run.TenantId, Hex.Of(run.ScriptId), (uint)run.Counter, run.StepCount, run.Sending));
        Assert.Equal(["0 Passed 9000", "1 SentUnknown 0000"], run.Report().Select(s => $"{s.Index} {s.Outcome} {s.Sw:X4}"));
        Assert.Equal("0102", Hex.Of(run.Report()[0].Data)); // kept: an interrupted SCP03 batch still shows the card's counter
        Assert.Null(run.Report()[1].Data);
        again.EndRun("beta");
        Assert.Empty(FileRelayStore.Open(path).Runs());
    }

    [Fact]
    public void Open_CorruptFile_ErrorNamesFileAndKeepsIt()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");
        File.WriteAllText(path, "{ \"version\": 1, \"counters\": { \"acme\": ");

        var e = Assert.Throws<FileRelayStoreException>(() => FileRelayStore.Open(path));

        Assert.Contains(path, e.Message);
        Assert.Equal("{ \"version\": 1, \"counters\": { \"acme\": ", File.ReadAllText(path));
    }

    [Fact]
    public void Open_RandomBytes_OnlyStoreException()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            File.WriteAllBytes(path, bytes);
            try
            {
                _ = FileRelayStore.Open(path);
            }
            catch (FileRelayStoreException)
            {
            }
        }, iter: 300);
    }

    [Fact]
    public void Relay_CrashMidScript_NewInstanceRecoversExactSteps()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");
        var card = new CardTransport(CardWithAcmeSd(), crashAt: 4); // channel, SELECT, step 0, step 1 run but not recorded
        var tenants = NanoAgent.Agent.Tenants.TenantRegistry.Parse($"acme {AgentRig.AcmeSd} 1");
        var relay = new ScriptRelay(tenants, FileRelayStore.Create(path), card, new SystemClockForTests(), null, new AcceptingVerifier());
        byte[] request = AgentRig.Script("acme", 4, "x", AgentRig.AcmeSd, AgentRig.Iin(3));

        Assert.Throws<InvalidOperationException>(() => relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(request)));

        var results = new List<ScriptResult>();
        var restarted = new ScriptRelay(tenants, FileRelayStore.Open(path), card, new SystemClockForTests(), null, new AcceptingVerifier()) { Listener = new Recorder(results) };
        Assert.Equal(1, restarted.Recover());
        ScriptResult report = Assert.Single(results);
        Assert.Equal((ScriptOutcome.Interrupted, 1, 4UL), (report.Outcome, report.FailedStep, report.Counter));
        Assert.Equal(["0 Passed 9000", "1 SentUnknown 0000"], report.Steps.Select(s => $"{s.Index} {s.Outcome} {s.Sw:X4}"));
        var third = FileRelayStore.Open(path);
        Assert.Empty(third.Runs());
        Assert.Equal(4UL, third.GetCounter("acme"));
        Assert.NotNull(third.FindResult("acme", "x"u8.ToArray()));
    }

    [Fact]
    public void Open_Missing_ErrorAsksForNewStoreAndCreatesNothing()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");

        var e = Assert.Throws<FileRelayStoreException>(() => FileRelayStore.Open(path));

        Assert.Equal(RelayStoreError.Unavailable, e.Error);
        Assert.Contains(path, e.Message);
        Assert.Contains("--new-store", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void OpenAndCreate_PathIsDirectory_ErrorNamesIt()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("store.json"));

        Assert.Contains("is a directory", Assert.Throws<FileRelayStoreException>(() => FileRelayStore.Open(dir.File("store.json"))).Message);
        Assert.Contains("is a directory", Assert.Throws<FileRelayStoreException>(() => FileRelayStore.Create(dir.File("store.json"))).Message);
    }

    [Fact]
    public void Create_WritesAnEmptyStoreAndNeverReplacesOne()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");
        FileRelayStore.Create(path).SetCounter("acme", 9);

        var e = Assert.Throws<FileRelayStoreException>(() => FileRelayStore.Create(path));

        Assert.Contains("already exists", e.Message);
        Assert.Equal(9UL, FileRelayStore.Open(path).GetCounter("acme"));
    }

    [Fact]
    public void Open_ReadOnlyFile_Refused()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");
        FileRelayStore.Create(path);
        File.SetAttributes(path, FileAttributes.ReadOnly);

        var e = Assert.Throws<FileRelayStoreException>(() => FileRelayStore.Open(path));

        Assert.Contains("read-only", e.Message);
    }

    [Fact]
    public void Write_FileMadeReadOnly_FailsAndMemoryStillEqualsTheFile()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");
        var store = FileRelayStore.Create(path);
        store.SetCounter("acme", 3);
        store.BeginRun(new InFlightRun("acme", [1], 3, 2));
        File.SetAttributes(path, FileAttributes.ReadOnly);
        string before = File.ReadAllText(path);

        Assert.Throws<FileRelayStoreException>(() => store.SetCounter("acme", 4));
        Assert.Throws<FileRelayStoreException>(() => store.MarkSending("acme", 0));
        Assert.Throws<FileRelayStoreException>(() => store.EndRun("acme"));

        Assert.Equal(before, File.ReadAllText(path));
        Assert.Equal(3UL, store.GetCounter("acme"));
        Assert.Equal(-1, Assert.Single(store.Runs()).Sending);
        File.SetAttributes(path, FileAttributes.Normal);
        AssertSame(store, FileRelayStore.Open(path));
    }

    [Fact]
    public void AnyWriteFails_MemoryAlwaysEqualsTheFile()
    {
        // The temporary file's path is made a directory at random moments, so the write fails there (disk full, I/O error).
        Gen.Select(Gen.Int[0, 5].Array[1, 30], Gen.Bool.Array[30]).Sample((ops, fail) =>
        {
            using var dir = new TempDir();
            string path = dir.File("store.json");
            var store = FileRelayStore.Create(path, resultsPerTenant: 2);
            for (int i = 0; i < ops.Length; i++)
            {
                if (fail[i])
                {
                    Directory.CreateDirectory(path + ".tmp");
                }

                int writes = store.Writes;
                try
                {
                    Apply(store, ops[i], i);
                    Assert.True(!fail[i] || store.Writes == writes, "a write through a broken temporary file must fail");
                }
                catch (FileRelayStoreException e)
                {
                    Assert.True(fail[i], e.Message);
                    Assert.Equal(RelayStoreError.WriteFailed, e.Error);
                }

                if (fail[i])
                {
                    Directory.Delete(path + ".tmp");
                }

                AssertSame(store, FileRelayStore.Open(path, resultsPerTenant: 2));
            }
        }, iter: 40);
    }

    private static void Apply(FileRelayStore store, int op, int i)
    {
        switch (op)
        {
            case 0: store.SetCounter("acme", (uint)i); break;
            case 1: store.SaveResult("acme", [(byte)(i % 4)], [(byte)i]); break;
            case 2: store.BeginRun(new InFlightRun("acme", [(byte)i], (uint)i, 3)); break;
            case 3: store.MarkSending("acme", i % 3); break;
            case 4: store.MarkAnswered("acme", new StepResult(i % 3, StepOutcome.Passed, 0x9000, null)); break;
            default: store.EndRun("acme"); break;
        }
    }

    private static void AssertSame(FileRelayStore memory, FileRelayStore disk)
    {
        Assert.Equal(disk.GetCounter("acme"), memory.GetCounter("acme"));
        for (byte id = 0; id < 4; id++)
        {
            Assert.Equal(Hex.Of(disk.FindResult("acme", [id]) ?? []), Hex.Of(memory.FindResult("acme", [id]) ?? []));
        }

        Assert.Equal(Describe(disk.Runs()), Describe(memory.Runs()));

        static string Describe(InFlightRun[] runs) => string.Join(";", runs.Select(r =>
            $"{r.TenantId} {Hex.Of(r.ScriptId)} {r.Counter} {r.Sending} " + string.Join(",", r.Report().Select(s => $"{s.Index}{s.Outcome}"))));
    }

    private static CardManager CardWithAcmeSd()
    {
        CardState state = CardState.CreateFresh();
        state.Entries.Add(new RegistryEntry
        {
            Aid = Hex.Parse(AgentRig.AcmeSd),
            Kind = RegistryEntryKind.SecurityDomain,
            LifeCycle = EntryLifeCycle.Personalized,
            Privileges = [0x80, 0x00, 0x00],
            AssociatedSecurityDomain = CardState.DefaultIsdAid.ToArray(),
        });
        return new CardManager(state);
    }

    private sealed class CardTransport(CardManager card, int crashAt) : IApduTransport
    {
        private readonly byte[] _rsp = new byte[65538];
        private int _count;

        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            int n = card.Process(command.AsSpan(commandOffset, commandCount), _rsp);
            if (++_count == crashAt)
            {
                throw new InvalidOperationException("simulated crash");
            }

            _rsp.AsSpan(0, n).CopyTo(response.AsSpan(responseOffset));
            return n;
        }
    }

    private sealed class SystemClockForTests : IClock
    {
        public long Milliseconds => 0;

        public void Sleep(int milliseconds)
        {
        }
    }

    private sealed class Recorder(List<ScriptResult> results) : IRelayListener
    {
        public void OnProgress(string tenantId, ScriptProgress progress)
        {
        }

        public void OnResult(string tenantId, ScriptResult result) => results.Add(result);

        public void OnApduResponse(string tenantId, ApduResponse response)
        {
        }
    }

    // The crash test is about the store; verification in the SE is tested with the relay (Agent tests).
    private sealed class AcceptingVerifier : IRequestVerifier
    {
        public RequestVerification Verify(NanoAgent.Agent.Tenants.Tenant tenant, byte[] message, int signedLength, byte[] authenticator) => RequestVerification.Verified;
    }
}
