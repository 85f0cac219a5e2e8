using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Tests.Docs;

/// <summary>
/// docs/walkthrough.md, run as written: every <c>sh</c> block in order in one bash, each command a separate process
/// (mosquitto, the agent, the backends, the provisioning console), each exit code and quoted output checked
/// (<see cref="DocRunner"/>). Only <c>PORT</c> is set, to a free port; the folder starts empty.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WalkthroughTests
{
    [Fact]
    public void Walkthrough_FromAnEmptyFolderToAProvisionedDevice_EveryCommandAsWritten()
    {
        string markdown = File.ReadAllText(Path.Combine(Root(), "docs", "walkthrough.md"));
        using var dir = new TempDir();

        DocRunner.RunAll("docs/walkthrough.md", markdown, dir.Path,
            new Dictionary<string, string> { ["PORT"] = EmbeddedBroker.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture) }, TimeSpan.FromSeconds(120));

        string site = Path.Combine(dir.Path, "site");
        Assert.Contains("\"serial\"", File.ReadAllText(Path.Combine(site, "site42.receipt.json")));
    }

    private static string Root()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "nanoAgent.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("nanoAgent.sln not found above " + AppContext.BaseDirectory);
    }
}
