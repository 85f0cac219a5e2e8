using NanoAgent.Drivers.Gp;
using NanoAgent.Host.Backend;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>End to end: backend → embedded broker → portable agent (relay) → virtual card manager with the tenant's SSD.</summary>
public sealed class TenantBackendTests : IDisposable
{
    private readonly AgentRig _rig = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _rig.Dispose();
        _dir.Dispose();
    }

    /// <summary>GET STATUS (applications), STORE DATA DF20 "ABC", GET DATA DF20: what the Gp end-to-end tests show the card does.</summary>
    internal static string Script(string sd = "A0000001515350410A", string getDataExpect = "9000", int tag = 0xDF20)
    {
        byte[] b = new byte[300];
        byte[] tlv = Hex.Parse("DF2003414243");
        string status = Hex.Of(b, 0, GpGetStatus.Build(GpGetStatus.Applications, false, [], 0, 0, b, 0));
        string store = Hex.Of(b, 0, GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tlv, 0, tlv.Length, b, 0));
        string get = Hex.Of(b, 0, GpGetData.Build(tag, b, 0));
        return $"""
            # tenant acme: personalise DF20
            sd {sd}
            {status}   expect 6A88   # no application yet: referenced data not found
            {store}
            {get}   expect {getDataExpect}
            """;
    }

    [Fact]
    public void RunInteractive_Level33_StepsPassAndResponsesVerifiedByBackend()
    {
        var output = new StringWriter();
        BackendReport report = Run(output, b => b.RunInteractive(ScriptFile.Parse(Script(), "t.apdu")));

        Assert.True(report.Succeeded, output.ToString());
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(5, report.Steps.Count);
        Assert.Equal("DF2003414243", Hex.Of(report.Find("t.apdu:5")!.Data!)); // R-MAC verified, R-ENC decrypted by the backend
        Assert.Equal((ushort)0x6A88, report.Find("t.apdu:3")!.Sw);
        Assert.Contains("[5/5] 80CADF20.. -> 9000 ok", output.ToString());
    }

    [Fact]
    public void RunBatch_AfterCounterLearned_PrecomputedSessionSucceeds()
    {
        var output = new StringWriter();
        BackendState state = BackendState.Load(_dir.File("state.json"));
        Run(output, b => b.RunInteractive(ScriptFile.Parse(Script(), "t.apdu")), state);
        int before = _rig.SequenceCounter;

        BackendReport report = Run(output, b => b.RunBatch(ScriptFile.Parse(Script(), "t.apdu")), BackendState.Load(_dir.File("state.json")));

        Assert.True(report.Succeeded, output.ToString());
        Assert.Equal("batch", report.Mode);
        Assert.Equal("DF2003414243", Hex.Of(report.Find("t.apdu:5")!.Data!));
        Assert.Equal(before + 1, _rig.SequenceCounter);
        Assert.Equal(before + 1, BackendState.Load(_dir.File("state.json")).Find(BackendState.Key(AgentRig.Device, AgentRig.Tenant, AgentRig.Ssd))!.SequenceCounter);
        Assert.Contains("progress: 1/5", output.ToString());
    }

    [Fact]
    public void SendBatch_SameApdusUnderNewIdAndCounter_RefusedBySeAtExternalAuthenticate()
    {
        var output = new StringWriter();
        BatchPlan? plan = null;
        BackendReport first = Run(output, b => b.SendBatch(plan = b.PrepareBatch(ScriptFile.Parse(Script(), "t.apdu"))), counter: _rig.SequenceCounter + 1);
        Assert.True(first.Succeeded, output.ToString());

        // The APDUs are replayed verbatim: the card's sequence counter moved, so its challenge and cryptograms differ.
        BackendReport replay = Run(output, b => b.SendBatch(plan!));

        Assert.False(replay.Succeeded);
        Assert.Equal(1, replay.ExitCode);
        StepReport ea = replay.Find("EXTERNAL AUTHENTICATE")!;
        Assert.False(ea.Passed);
        Assert.NotEqual((ushort)0x9000, ea.Sw);
        Assert.Contains("sequence counter", replay.Failure);
        Assert.Null(replay.Find("t.apdu:3")!.Sw); // nothing after EXTERNAL AUTHENTICATE reached the SE
    }

    [Fact]
    public void ResendBatch_SameIdAndCounter_AnsweredFromRelayStore_SeSeesNothing()
    {
        var output = new StringWriter();
        BatchPlan? plan = null;
        Assert.True(Run(output, b => b.SendBatch(plan = b.PrepareBatch(ScriptFile.Parse(Script(), "t.apdu"))), counter: _rig.SequenceCounter + 1).Succeeded);
        int commands = _rig.Transport.Commands;

        BackendReport duplicate = Run(output, b => b.ResendBatch(plan!));
        Assert.Equal(commands, _rig.Transport.Commands); // the stored result, byte for byte; the SE saw nothing
        Assert.True(duplicate.Succeeded);

        // Same counter under a new script id: the relay refuses it as a replay before the SE sees anything.
        BackendReport replayed = Run(output, b => b.SendBatch(plan!, plan!.Request!.Counter));
        Assert.Equal(commands, _rig.Transport.Commands);
        Assert.Equal(1, replayed.ExitCode);
        Assert.Contains("ReplayedCounter", replayed.Failure);
    }

    [Fact]
    public void RunInteractive_WrongKeys_FailsAtCardCryptogram()
    {
        var output = new StringWriter();
        BackendReport report = Run(output, b => b.RunInteractive(ScriptFile.Parse(Script(), "t.apdu")), keys: AgentRig.MakeKeys(0x01, 0x40));

        Assert.Equal(1, report.ExitCode);
        Assert.Contains("card cryptogram", report.Failure);
        Assert.Single(report.Steps);
    }

    private BackendReport Run(StringWriter output, Func<TenantBackend, BackendReport> action, BackendState? state = null, int? counter = null, NanoAgent.Drivers.Scp03.Scp03StaticKeys? keys = null)
    {
        var options = new BackendOptions
        {
            Device = AgentRig.Device, Tenant = AgentRig.Tenant, Sd = AgentRig.Ssd, Timeout = TimeSpan.FromSeconds(20), SequenceCounter = counter,
            RequestKeys = AgentRig.RequestKeys,
        };
        using BackendLink link = _rig.Link();
        var backend = new TenantBackend(link, options, keys ?? AgentRig.Keys, state ?? BackendState.Load(_dir.File("state.json")), output);
        return action(backend);
    }
}
