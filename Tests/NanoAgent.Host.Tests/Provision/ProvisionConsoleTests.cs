using System.Text.Json.Nodes;
using NanoAgent.Host.Provision;
using NanoAgent.VirtualSe.State;

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

    private JsonObject Receipt() => JsonNode.Parse(File.ReadAllText(_rig.Dir.File("receipt.json")))!.AsObject();
}
