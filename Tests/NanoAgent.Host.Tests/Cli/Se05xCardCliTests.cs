using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Cli;

/// <summary><c>--card se05x</c> and <c>--applet</c> on the commands that start a virtual SE.</summary>
public class Se05xCardCliTests
{
    [Theory]
    [InlineData(null, "3.1.0 \\(SE050, 892-byte payloads\\)")]
    [InlineData("7", "7.2.0 \\(SE051, 1024-byte payloads\\)")]
    public void Probe_Se05xCard_ReportsAppletVersionAndConfig(string? applet, string version)
    {
        using var dir = new TempDir();
        var args = new List<string> { "se", "probe", "--card", "se05x", "--state", dir.File("se.json") };
        if (applet is not null)
        {
            args.AddRange(["--applet", applet]);
        }

        CliRun run = CliRun.Of([.. args]);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Matches($"(?m)^SE05x applet +{version}$", run.Output);
        Assert.Matches("(?m)^AppletConfig +6FFF \\(.*I2C controller\\)$", run.Output);
        Assert.True(File.Exists(dir.File("se.se05x.json")));
        Assert.True(File.Exists(dir.File("se.platform-keys.json")), "the virtual SE05x has platform keys, as the chip does");
        Assert.False(File.Exists(dir.File("se.json")), "no GP card state for the SE05x card");
    }

    [Fact]
    public void Probe_GpCard_NoSe05xLines()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("se", "probe", "--state", dir.File("se.json"));
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.DoesNotContain("SE05x applet", run.Output);
    }

    [Theory]
    [InlineData("--spi", "virtual")]
    [InlineData("--protocol", "gp")]
    public void Se05xCardOnGp_UsageError(string option, string value)
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("se", "probe", "--card", "se05x", option, value, "--state", dir.File("se.json"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("SE05x T=1 over I2C only", run.Error);
    }

    [Theory]
    [InlineData("--applet", "5", "--card", "se05x")]
    [InlineData("--applet", "7", "--card", "gp")]
    public void BadApplet_UsageError(params string[] extra)
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of(["se", "probe", "--state", dir.File("se.json"), .. extra]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--applet takes 3 (SE050) or 7 (SE051), with --card se05x", run.Error);
    }

    [Fact]
    public void AppletOfAnExistingCard_Differs_OneLineErrorNamingTheFile()
    {
        using var dir = new TempDir();
        Assert.Equal(ExitCodes.Ok, CliRun.Of("se", "probe", "--card", "se05x", "--state", dir.File("se.json")).ExitCode);
        CliRun run = CliRun.Of("se", "probe", "--card", "se05x", "--applet", "7", "--state", dir.File("se.json"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal($"error: {dir.File("se.se05x.json")}: this virtual SE05x carries applet 3.x; delete the file to make an applet 7.x card", run.Error.Trim());
    }

    [Fact]
    public void CorruptSe05xState_OneLineErrorNamingTheFile()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("se.se05x.json"), "{ broken");
        CliRun run = CliRun.Of("se", "apdu", "--card", "se05x", "--state", dir.File("se.json"), "8004002000");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: {dir.File("se.se05x.json")}: the SE05x card state is corrupt", run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Fact]
    public void GpList_WithThePlatformKeys_ListsIsdAndIotApplet()
    {
        using var dir = new TempDir();
        CliRun.Of("se", "probe", "--card", "se05x", "--state", dir.File("se.json"));
        CliRun run = CliRun.Of("gp", "list", "--card", "se05x", "--state", dir.File("se.json"), "--keys", dir.File("se.platform-keys.json"));
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Matches("(?m)^A000000151000000 +ISD +SECURED", run.Output);
        Assert.Matches("(?m)^A0000003965453000000010300000000 +APP +SELECTABLE", run.Output);

        CliRun other = CliRun.Of("gp", "list", "--card", "se05x", "--state", dir.File("se.json"), "--keys", "default");
        Assert.Equal(ExitCodes.Failed, other.ExitCode);
        Assert.Contains("6A88", other.Error);
    }

    [Fact]
    public void Diag_Se05xCard_Passes()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("diag", "--card", "se05x", "--state", dir.File("se.json"));
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.EndsWith("Result: PASS" + Environment.NewLine, run.Output);
    }
}
