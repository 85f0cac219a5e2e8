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
    public void NewInstance_SameFile_SeesCountersResultsAndTrace()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");
        var store = new FileRelayStore(path, resultsPerTenant: 2);
        store.SetCounter("acme", 7);
        store.SaveResult("acme", [1], [0xA1]);
        store.SaveResult("acme", [2], [0xA2]);
        store.SaveResult("acme", [3], [0xA3]);
        store.BeginRun(new InFlightRun("beta", [9, 9], 5, 3));
        store.MarkSending("beta", 0);
        store.MarkAnswered("beta", new StepResult(0, StepOutcome.Passed, 0x9000, [1, 2]));
        store.MarkSending("beta", 1);

        var again = new FileRelayStore(path, resultsPerTenant: 2);

        Assert.Equal(7, again.GetCounter("acme"));
        Assert.Equal(-1, again.GetCounter("beta"));
        Assert.Null(again.FindResult("acme", [1])); // the oldest went over the bound
        Assert.Equal("A3", Hex.Of(again.FindResult("acme", [3])!));
        InFlightRun run = Assert.Single(again.Runs());
        Assert.Equal(("beta", "0909", 5u, 3, 1), (run.TenantId, Hex.Of(run.ScriptId), run.Counter, run.StepCount, run.Sending));
        Assert.Equal(["0 Passed 9000", "1 SentUnknown 0000"], run.Report().Select(s => $"{s.Index} {s.Outcome} {s.Sw:X4}"));
        Assert.Equal("0102", Hex.Of(run.Report()[0].Data)); // kept: an interrupted SCP03 batch still shows the card's counter
        Assert.Null(run.Report()[1].Data);
        again.EndRun("beta");
        Assert.Empty(new FileRelayStore(path).Runs());
    }

    [Fact]
    public void Open_CorruptFile_ErrorNamesFileAndKeepsIt()
    {
        using var dir = new TempDir();
        string path = dir.File("store.json");
        File.WriteAllText(path, "{ \"version\": 1, \"counters\": { \"acme\": ");

        var e = Assert.Throws<FileRelayStoreException>(() => new FileRelayStore(path));

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
                _ = new FileRelayStore(path);
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
        var relay = new ScriptRelay(tenants, new FileRelayStore(path), card, new SystemClockForTests(), null);
        byte[] request = AgentRig.Script("acme", 4, "x", AgentRig.AcmeSd, AgentRig.Iin(3));

        Assert.Throws<InvalidOperationException>(() => relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(request)));

        var results = new List<ScriptResult>();
        var restarted = new ScriptRelay(tenants, new FileRelayStore(path), card, new SystemClockForTests(), null) { Listener = new Recorder(results) };
        Assert.Equal(1, restarted.Recover());
        ScriptResult report = Assert.Single(results);
        Assert.Equal((ScriptOutcome.Interrupted, 1, 4u), (report.Outcome, report.FailedStep, report.Counter));
        Assert.Equal(["0 Passed 9000", "1 SentUnknown 0000"], report.Steps.Select(s => $"{s.Index} {s.Outcome} {s.Sw:X4}"));
        var third = new FileRelayStore(path);
        Assert.Empty(third.Runs());
        Assert.Equal(4, third.GetCounter("acme"));
        Assert.NotNull(third.FindResult("acme", "x"u8.ToArray()));
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
}
