namespace NanoAgent.Host.Tests.Agent;

/// <summary>The <c>nanoagent agent</c> command line.</summary>
public sealed class AgentCommandTests
{
    [Fact]
    public void Help_ListsOptions()
    {
        CliRun run = CliRun.Of("agent", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--embedded-broker", run.Output);
        Assert.Contains("--platform-keys", run.Output);
    }

    [Fact]
    public void Run_EmbeddedBrokerOneSecond_StartsAndStopsCleanly()
    {
        using var rig = new AgentRig();
        File.WriteAllText(rig.Dir + "/tenants.txt", $"acme {AgentRig.AcmeSd} 1\n");

        CliRun run = CliRun.Of("agent", "--tenants", rig.Dir + "/tenants.txt", "--state", rig.StatePath, "--store", rig.StorePath,
            "--platform-keys", rig.KeyPath, "--embedded-broker", "0", "--duration", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("platform SCP03 level 33", run.Output);
        Assert.Contains("agent dev1 online", run.Output);
        Assert.Contains("agent stopped", run.Output);
    }

    [Fact]
    public void Run_BrokerAndEmbedded_UsageError()
    {
        CliRun run = CliRun.Of("agent", "--tenants", "x", "--broker", "mqtt://127.0.0.1:1", "--embedded-broker");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("either --broker", run.Error);
    }
}
