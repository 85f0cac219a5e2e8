using NanoAgent.Host.Agent;
using NanoAgent.Host.Common;
using NanoAgent.Host.Tests.Remote;

namespace NanoAgent.Host.Tests.Cli;

/// <summary>
/// Issue 21 item 5: SIGTERM (what systemd sends) and SIGINT (Ctrl+C) end every long-running command gracefully. Each test
/// starts the built <c>nanoagent</c> as its own process, sends the signal with the system's <c>kill</c>, and checks the one
/// closing line, exit code 0, and what the command leaves behind.
/// </summary>
public sealed class ShutdownSignalTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("INT", "SIGINT")]
    public void Agent_Signal_OneLineExit0AndTheStoreReopensHoldingWhatItHeld(string signal, string name)
    {
        string store = _dir.File("relay-store.json");
        FileRelayStore seeded = FileRelayStore.Create(store);
        seeded.SetCounter("acme", 41);
        seeded.SetAuthFailures("acme", 2);
        File.WriteAllText(_dir.File("tenants.txt"), "acme A0000001515350410A 1\n");
        string[] agent = ["agent", "--tenants", _dir.File("tenants.txt"), "--state", _dir.File("se.json"), "--store", store,
            "--platform-keys", _dir.File("platform-keys.json"), "--embedded-broker", "0"];

        using (var process = CliProcess.Start(agent))
        {
            process.WaitForOutput(" online at ", Timeout);
            process.Signal(signal);

            Assert.Equal(ExitCodes.Ok, process.WaitForExit(Timeout));
            string[] lines = process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal($"agent stopped ({name})", lines[^1]);
            Assert.Single(lines, l => l.Contains("stopped", StringComparison.Ordinal));
            Assert.Equal(string.Empty, process.Error);
        }

        FileRelayStore reopened = FileRelayStore.Open(store);
        Assert.Equal((41UL, 2), (reopened.GetCounter("acme"), reopened.GetAuthFailures("acme")));
        CliRun again = CliRun.Of([.. agent, "--duration", "1"]);
        Assert.True(again.ExitCode == ExitCodes.Ok, again.Output + again.Error);
        Assert.Contains(" online at ", again.Output);
        Assert.Equal(41UL, FileRelayStore.Open(store).GetCounter("acme"));
    }

    [Fact]
    public void Broker_Sigterm_OneLineExit0()
    {
        using var process = CliProcess.Start("broker", "--port", "0");
        process.WaitForOutput("broker listening on mqtt://127.0.0.1:", Timeout);

        process.Signal("TERM");

        Assert.Equal(ExitCodes.Ok, process.WaitForExit(Timeout));
        Assert.EndsWith("broker stopped (SIGTERM)" + Environment.NewLine, process.Output);
        Assert.Equal(string.Empty, process.Error);
    }

    [Fact]
    public void BackendWatch_Sigterm_EndsWithItsSummaryExit0()
    {
        using var broker = new NanoAgent.Host.Tests.Agent.TestBroker("embedded");
        NanoAgent.Host.Gate.GateKeyFile.Write(_dir.File("gate.key"), new byte[16]);
        using var process = CliProcess.Start("backend", "watch", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--device", "d", "--tenant", "t",
            "--gate", "F06E616E6F47410A", "--mac-key-file", _dir.File("gate.key"), "--state", _dir.File("w.counter"));
        process.WaitForOutput("watching nanoagent/d/t/reading/+", Timeout);

        process.Signal("TERM");

        Assert.Equal(ExitCodes.Ok, process.WaitForExit(Timeout));
        Assert.EndsWith("0 reading(s), 0 verified, 0 rejected" + Environment.NewLine, process.Output);
        Assert.Equal(string.Empty, process.Error);
    }

    [Fact]
    public void Remote_Sigterm_EndsTheSessionBetweenCommandsExit0()
    {
        using var tool = new TestToolServer();
        using var process = CliProcess.Start("remote", "--tool", tool.Address, "--name", "lab-board", "--state", _dir.File("se.json"));
        Assert.Equal("lab-board", tool.Accept());
        Assert.Equal("01", tool.Request(3, "01").GetProperty("response").GetString()); // REQ_ECHO

        process.Signal("TERM");

        Assert.Equal(ExitCodes.Ok, process.WaitForExit(Timeout));
        Assert.EndsWith("remote stopped (SIGTERM) after 1 command(s)" + Environment.NewLine, process.Output);
        Assert.Equal(string.Empty, process.Error);
        Assert.Null(tool.ReadMessage()); // the connection is closed, not left open
    }
}
