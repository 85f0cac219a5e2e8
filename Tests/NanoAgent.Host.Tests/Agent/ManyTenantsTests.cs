using System.Text;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Se;
using NanoAgent.Host.Tests.Backend;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// Issue "many stakeholders on one device": sixteen tenants, each with its own SCP03 key set and request key on its own SSD,
/// run their sessions at once through the agent host over the three block protocols, under platform SCP03, so sessions hold
/// channels up to 16 (nested secured commands on channels 4-19 included, docs/protocol.md §4.3). A card of fewer channels
/// makes sessions wait their turn; a wait past the bound ends in "no free channel".
/// </summary>
public sealed class ManyTenantsTests : IDisposable
{
    private const int Tenants = 16;
    private readonly TempDir _dir = new();
    private readonly AgentRig.LogSink _log = new();
    private readonly List<IDisposable> _owned = new();

    public static TheoryData<string, string?> Protocols => new() { { "se05x", null }, { "gp", null }, { "gp", "virtual" } };

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _dir.Dispose();
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task SixteenTenants_SessionsAtOnce_EveryScriptRunsOnItsOwnChannel(string protocol, string? spi)
    {
        int highest = 0;
        AgentHost host = Start(protocol, spi, channels: null, inner => new ChannelWatch(inner, c => highest = Math.Max(highest, c)));
        Assert.Contains(_log.Lines, l => l.Contains("the SE opens 19 supplementary logical channel(s): up to 18 session(s) at once", StringComparison.Ordinal));

        BackendReport[] reports = await Task.WhenAll(Enumerable.Range(0, Tenants).Select(i => Task.Run(() => RunInteractive(host, i))));

        Assert.All(reports, r => Assert.True(r.Succeeded, r.Failure));
        Assert.All(reports, r => Assert.Equal("DF2003414243", Hex.Of(r.Find("t.apdu:5")!.Data!)));
        Assert.Equal(0, host.Relay.OpenSessionCount);
        Assert.Equal(0, host.Faults);
        Assert.True(highest >= 4, $"the sessions overlapped on channels up to {highest} only");
    }

    [Fact]
    public async Task SixteenTenants_CardOfThreeChannels_SessionsWaitTheirTurn_AllSucceed()
    {
        // The card offers channels 1-3: two sessions at once, one channel for the verifier; the rest wait first come, first served.
        // The wait bound is raised past the time fourteen sessions ahead may take on a loaded machine (the default is 20 s).
        AgentHost host = Start("se05x", null, channels: 4, waitMilliseconds: 240_000);
        Assert.Contains(_log.Lines, l => l.Contains("the SE opens 3 supplementary logical channel(s): up to 2 session(s) at once", StringComparison.Ordinal));

        BackendReport[] reports = await Task.WhenAll(Enumerable.Range(0, Tenants).Select(i => Task.Run(() => RunInteractive(host, i))));

        Assert.All(reports, r => Assert.True(r.Succeeded, r.Failure));
        Assert.Equal(0, host.Faults);
    }

    [Fact]
    public void SessionWaitingForAChannel_RunsWhenOneEnds_AndAWaitPastTheBoundIsRefused()
    {
        AgentHost host = Start("gp", null, channels: 4, waitMilliseconds: 1500);
        var clients = Enumerable.Range(0, 3).Select(i => Connect(host, i)).ToArray();

        // t00 and t01 open interactive sessions and keep them: both session channels are held.
        clients[0].Send(AgentRig.Signer(Id(0)).Sign(Opening(0, 1, "s0")));
        clients[1].Send(AgentRig.Signer(Id(1)).Sign(Opening(1, 1, "s1")));
        Assert.Equal(0, ReportMessageCodec.DecodeApduResponse(clients[0].NextRaw()).Sequence);
        Assert.Equal(0, ReportMessageCodec.DecodeApduResponse(clients[1].NextRaw()).Sequence);

        // t02's batch waits; it runs as soon as t00 ends its session.
        clients[2].Send(Batch(2, 1, "b1"));
        WaitUntil(() => host.Relay.WaitingCount == 1);
        clients[0].Send(AgentRig.Signer(Id(0)).Sign(new ApduRequest { ScriptId = "s0"u8.ToArray(), Sequence = 1, End = true }));
        ScriptResult ran = clients[2].Next();
        Assert.Equal(ScriptOutcome.Completed, ran.Outcome);

        // t00's next session takes the freed channel again; a second batch of t02 now waits past the bound.
        clients[0].NextRaw(); // t00's end acknowledgement
        clients[0].Next();
        clients[0].Send(AgentRig.Signer(Id(0)).Sign(Opening(0, 2, "s0b")));
        Assert.Equal(0, ReportMessageCodec.DecodeApduResponse(clients[0].NextRaw()).Sequence);
        clients[2].Send(Batch(2, 2, "b2"));
        ScriptResult refused = clients[2].Next();
        Assert.Equal((ScriptOutcome.Rejected, RejectReason.NoFreeChannel), (refused.Outcome, refused.Reason));
        Assert.Equal(1UL, host.Store.GetCounter(Id(2))); // nothing consumed
    }

    private static string Id(int i) => $"t{i:D2}";

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + AgentRig.Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            Thread.Sleep(20); // polling the agent's state, not timing an assertion
        }
    }

    private static byte[] Sd(int i) => Hex.Parse($"F06E616E6F5346{i:X2}");

    // Each tenant's own ENC, MAC and DEK (KVN 01), distinct per tenant.
    private static byte[] Key(int i, int part) => Enumerable.Range(0, 16).Select(b => (byte)((i * 48) + (part * 16) + b)).ToArray();

    private static Scp03StaticKeys Keys(int i) => new(BouncyCastleAesFactory.Instance, 0x01, Key(i, 0), Key(i, 1), Key(i, 2));

    private static ScriptRequest Opening(int i, ulong counter, string id) => new()
    {
        ScriptId = Encoding.ASCII.GetBytes(id), TenantId = Id(i), Counter = counter, TargetAid = Sd(i), Mode = ScriptMode.Interactive, Steps = [],
    };

    private static byte[] Batch(int i, ulong counter, string id) =>
        AgentRig.Signer(Id(i)).Sign(new ScriptRequest
        {
            ScriptId = Encoding.ASCII.GetBytes(id), TenantId = Id(i), Counter = counter, TargetAid = Sd(i), Mode = ScriptMode.Batch,
            Steps = [AgentRig.Step("80CA004200", data: true)],
        });

    private AgentRig.Client Connect(AgentHost host, int i)
    {
        var client = new AgentRig.Client(host.BrokerAddress, Id(i));
        _owned.Add(client);
        return client;
    }

    private AgentHost Start(string protocol, string? spi, int? channels, Func<IApduTransport, IApduTransport>? decorator = null, int? waitMilliseconds = null)
    {
        CardState state = CardState.CreateFresh();
        state.LogicalChannels = channels;
        var lines = new StringBuilder();
        for (int i = 0; i < Tenants; i++)
        {
            byte[] key = AgentRig.RequestKey(Id(i));
            state.Entries.Add(new RegistryEntry
            {
                Aid = Sd(i), Kind = RegistryEntryKind.SecurityDomain, LifeCycle = EntryLifeCycle.Personalized, Privileges = [0x80, 0x00, 0x00],
                AssociatedSecurityDomain = CardState.DefaultIsdAid.ToArray(),
                Domain = new SecurityDomainData
                {
                    KeySets = [KeySetRecord.Create(0x01, Key(i, 0), Key(i, 1), Key(i, 2)), KeySetRecord.Create(0x60, key, key, key)],
                },
            });

            // Old and new tenants file forms mixed: every fourth line keeps its old channel column, which is ignored.
            lines.Append(i % 4 == 0 ? $"{Id(i)} {Hex.Of(Sd(i))} {i % 4} 16384\n" : $"{Id(i)} {Hex.Of(Sd(i))}\n");
        }

        string statePath = _dir.File("vse.json");
        new CardStateStore(statePath).Save(state);
        var options = new AgentHostOptions
        {
            Target = new SeTarget { StatePath = statePath, Protocol = protocol, SpiBus = spi },
            Tenants = TenantRegistry.Parse(lines.ToString()),
            StorePath = _dir.File("store.json"),
            NewStore = true,
            EmbeddedBrokerPort = 0,
            PlatformKeyFile = _dir.File("platform-keys.json"),
            TransportDecorator = decorator,
            ChannelWaitMilliseconds = waitMilliseconds,
        };
        AgentHost host = AgentHost.Start(options, _log);
        _owned.Add(host);
        Assert.True(host.PlatformScp!.IsOpen);
        return host;
    }

    private BackendReport RunInteractive(AgentHost host, int i)
    {
        var output = new StringWriter();
        var options = new BackendOptions
        {
            Device = "dev1", Tenant = Id(i), Sd = Sd(i), Timeout = TimeSpan.FromSeconds(300),
            RequestKeys = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x60, AgentRig.RequestKey(Id(i))),
        };
        using BackendLink link = ConnectWithRetry(host, Id(i));
        return new TenantBackend(link, options, Keys(i), BackendState.Load(_dir.File($"state-{i}.json")), output)
            .RunInteractive(ScriptFile.Parse(TenantBackendTests.Script(Hex.Of(Sd(i))), "t.apdu"));
    }

    // Sixteen clients connect at once to the embedded broker; on a loaded machine a connect can time out: try again, bounded.
    private static BackendLink ConnectWithRetry(AgentHost host, string tenant)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return BackendLink.Connect(host.BrokerAddress, null, null, "dev1", tenant);
            }
            catch (BackendException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200); // polling for the broker, not timing an assertion
            }
        }
    }

    /// <summary>Reports the channel of every MANAGE CHANNEL open the relay sends (plain, above platform SCP03).</summary>
    private sealed class ChannelWatch(IApduTransport inner, Action<int> opened) : IApduTransport
    {
        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            if (commandCount >= 4 && command[commandOffset + 1] == 0x70 && command[commandOffset + 2] == 0x00)
            {
                opened(command[commandOffset + 3]);
            }

            return inner.Transceive(command, commandOffset, commandCount, response, responseOffset);
        }
    }
}
