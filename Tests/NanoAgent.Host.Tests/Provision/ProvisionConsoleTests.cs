using System.Text.Json.Nodes;
using NanoAgent.Host.Provision;
using NanoAgent.VirtualSe.State;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Provision;

/// <summary>Issue 7 "done when": a two-tenant bundle on the virtual rig, with progress, a broker restart, a resume and a receipt.</summary>
public sealed class ProvisionConsoleTests : IDisposable
{
    private readonly ProvisionRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Provision_TwoTenantBundle_ProgressReceiptAndCplc()
    {
        int isdBefore = _rig.Sessions(CardState.DefaultIsdAid);

        CliRun run = CliRun.Of(_rig.Args());

        Assert.True(run.ExitCode == 0, run.Output + run.Error + _rig.AgentLog);
        Assert.Contains("[####################] acme 4/4 steps", run.Output);
        Assert.Contains("[#####...............] beta 1/4 steps", run.Output);
        Assert.Contains("provisioning complete.", run.Output);
        JsonObject receipt = Receipt();
        Assert.Equal("field-2024-001", (string?)receipt["bundleId"]);
        Assert.True((bool)receipt["complete"]!);
        foreach (JsonNode? tenant in receipt["tenants"]!.AsArray())
        {
            Assert.Equal("completed", (string?)tenant!["outcome"]);
            Assert.Equal((int)tenant["steps"]!, (int)tenant["stepsPassed"]!);
        }

        // The SE's serial on the receipt is the virtual card's CPLC IC serial number (GPC §H.6), read through the relay.
        Assert.Equal(_rig.Card.Identity.Cplc.IcSerialNumber.ToString("X8"), (string?)receipt["se"]!["serial"]);
        Assert.Equal(isdBefore + 1, _rig.Sessions(CardState.DefaultIsdAid));
        Assert.Equal(1, _rig.Sessions(ProvisionRig.SsdAcme));
        Assert.Equal(1, _rig.Sessions(ProvisionRig.SsdBeta));
        Assert.Equal(4, File.ReadAllLines(_rig.Dir.File("journal.jsonl")).Length);
    }

    [Fact]
    public void Provision_BrokerRestartMidItem_BundleStillCompletes()
    {
        var output = new StringWriter();
        var console = new ProvisionConsole(_rig.Options(), output);
        bool restarted = false;
        console.Progress += (item, done, _) =>
        {
            if (!restarted && item.Tenant == "acme" && done == 1)
            {
                restarted = true;
                _rig.Agent.EmbeddedBroker!.Stop(); // the Wi-Fi link drops while acme's script runs on the device
                _rig.Agent.EmbeddedBroker.Start(); // same port
            }
        };

        int exit = console.Run(_rig.Bundle);

        Assert.True(exit == 0, output + _rig.AgentLog.ToString());
        Assert.True(restarted);
        Assert.Contains("broker link lost", output.ToString());
        Assert.Equal(1, _rig.Sessions(ProvisionRig.SsdAcme)); // acme's script ran once, though it may have been sent twice
        Assert.Equal(1, _rig.Sessions(ProvisionRig.SsdBeta));
        Assert.True((bool)Receipt()["complete"]!);
    }

    [Fact]
    public void Provision_CancelledAfterFirstItem_RerunWithJournalSkipsItAndAppliesNothingTwice()
    {
        int isdBefore = _rig.Sessions(CardState.DefaultIsdAid);
        var first = new StringWriter();
        using var cancel = new CancellationTokenSource();
        var console = new ProvisionConsole(_rig.Options(), first);
        console.ItemFinished += _ => cancel.Cancel();

        Assert.Equal(1, console.Run(_rig.Bundle, cancel.Token));
        Assert.Contains("Run the same command again", first.ToString());
        Assert.False((bool)Receipt()["complete"]!);
        Assert.Equal(0, _rig.Sessions(ProvisionRig.SsdAcme)); // the SSD exists (item 1), acme's session has not run

        CliRun again = CliRun.Of(_rig.Args());

        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("[1/4] owner: completed in an earlier run (journal): skipped", again.Output);
        Assert.Equal(isdBefore + 1, _rig.Sessions(CardState.DefaultIsdAid)); // the owner's ISD session ran exactly once
        Assert.Equal(1, _rig.Sessions(ProvisionRig.SsdAcme));
        Assert.Equal(1, _rig.Sessions(ProvisionRig.SsdBeta));
        Assert.Equal(4, File.ReadAllLines(_rig.Dir.File("journal.jsonl")).Length);
        Assert.NotNull(Receipt()["se"]); // the CPLC came from this run; the owner's item from the journal
    }

    [Fact]
    public void Provision_ResentItemWithSameScriptId_AnsweredFromRelayStore()
    {
        // A result that never reached the laptop: the item ran, the journal has nothing, the console sends it again.
        Assert.Equal(0, CliRun.Of(_rig.Args()).ExitCode);
        File.Delete(_rig.Dir.File("journal.jsonl"));
        int isd = _rig.Sessions(CardState.DefaultIsdAid);

        CliRun again = CliRun.Of(_rig.Args());

        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Equal(isd, _rig.Sessions(CardState.DefaultIsdAid)); // the SE saw nothing: every answer came from the store
        Assert.Equal(1, _rig.Sessions(ProvisionRig.SsdAcme));
    }

    [Fact]
    public void Provision_ItemFailed_SummaryDoesNotPromiseAResumeThatCannotProgress()
    {
        // The ISD's sequence counter moves past the one the owner's script was pre-computed for: its session fails, a final result.
        _rig.Card.Find(CardState.DefaultIsdAid)!.Domain!.SequenceCounter += 5;

        CliRun first = CliRun.Of(_rig.Args());
        CliRun again = CliRun.Of(_rig.Args());

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("[1/4] owner: failed", first.Output);
        Assert.DoesNotContain("Run the same command again", first.Output);
        Assert.Contains("Running this bundle again cannot change that", first.Output);
        Assert.Contains("must issue a new script", first.Output);

        // And it is so: the re-run stops at the same item, taken from the journal, and says the same.
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("[1/4] owner: failed", again.Output);
        Assert.Contains("in an earlier run (journal): skipped", again.Output);
        Assert.DoesNotContain("Run the same command again", again.Output);
    }

    [Fact]
    public void Journal_TornLastLineIgnoredAndDroppedBeforeTheNextEntry()
    {
        string path = _rig.Dir.File("journal.jsonl");
        BundleItem first = _rig.Bundle.Items[0], second = _rig.Bundle.Items[1];
        ProvisionJournal.Open(path, _rig.Bundle.BundleId).Record(first, "completed", [0xE5]);
        File.AppendAllText(path, "{\"bundleId\":\"field-20"); // the laptop died mid-write

        ProvisionJournal reopened = ProvisionJournal.Open(path, _rig.Bundle.BundleId);
        reopened.Record(second, "completed", [0xE5, 0x01]);

        Assert.Equal(2, File.ReadAllLines(path).Length);
        ProvisionJournal third = ProvisionJournal.Open(path, _rig.Bundle.BundleId);
        Assert.Equal(2, third.Count);
        Assert.Equal([0xE5, 0x01], third.Find(second));
    }

    [Fact]
    public void Journal_CorruptLineInTheMiddle_ErrorNamesFileAndLine()
    {
        string path = _rig.Dir.File("journal.jsonl");
        ProvisionJournal.Open(path, _rig.Bundle.BundleId).Record(_rig.Bundle.Items[0], "completed", [0xE5]);
        File.WriteAllText(path, "not json\n" + File.ReadAllText(path));

        var e = Assert.Throws<InputFileException>(() => ProvisionJournal.Open(path, _rig.Bundle.BundleId));

        Assert.Equal(path, e.FilePath);
        Assert.Contains("line 1 is corrupt", e.Problem);
    }

    private JsonObject Receipt() => JsonNode.Parse(File.ReadAllText(_rig.Dir.File("receipt.json")))!.AsObject();
}
