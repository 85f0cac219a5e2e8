using System.CommandLine;
using System.Text.RegularExpressions;
using NanoAgent.Host.Cli;

namespace NanoAgent.Host.Tests.Cli;

/// <summary>The systemd units of docs/deployment.md run commands and options that exist, and end the service by SIGTERM.</summary>
public sealed class DeploymentDocTests
{
    private static readonly string Doc = RepoFile.Read("docs/deployment.md");

    [Fact]
    public void Units_ExecStartLinesParse()
    {
        var lines = Regex.Matches(Doc, @"^ExecStart=\S+ \S+nanoagent\.dll (.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(2, lines.Count);
        foreach (string line in lines)
        {
            ParseResult parse = NanoAgentCli.Build().Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.True(parse.Errors.Count == 0, line + ": " + string.Join("; ", parse.Errors.Select(e => e.Message)));
        }
    }

    [Fact]
    public void Units_StopBySigtermAndRestartOnFailure()
    {
        int units = Regex.Matches(Doc, @"^\[Service\]$", RegexOptions.Multiline).Count;

        Assert.Equal(units, Regex.Matches(Doc, @"^KillSignal=SIGTERM$", RegexOptions.Multiline).Count);
        Assert.Equal(units, Regex.Matches(Doc, @"^Restart=on-failure$", RegexOptions.Multiline).Count);
        Assert.Contains("--password-file /etc/nanoagent/broker-password", Doc);
        Assert.Contains("--store /var/lib/nanoagent/relay-store.json", Doc);
    }
}
