using NanoAgent.Host.Cli;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Demo;

public class DemoCommandTests
{
    [Fact]
    public void Demo_RunsTheWholeSystem_EveryCheckAsExpected()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("demo", "--dir", dir.File("demo"));

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Output + run.Error);
        Assert.Matches("(?m)^(\\d+) of \\1 checks as expected\\. Demo OK\\.", run.Output);
        Assert.Matches("(?m)^beta +publish on acme's request topic +refused and dropped by the broker +PASS +refused: not authorized", run.Output);
        Assert.Matches("(?m)^beta +subscribe to acme's results +refused by the broker +PASS +refused: not authorized", run.Output);
        Assert.Matches("(?m)^attacker +connect as the agent \\(client id 'meter-001', beta's login\\) +refused, the agent stays online +PASS +refused: client id not allowed, agent online", run.Output);
        Assert.Contains("broker: refused connection of client 'meter-001' as user 'beta': client id not allowed for this login", run.Output);
        Assert.Matches("(?m)^owner +put its request key into the ISD \\(local link\\) +9000 +PASS", run.Output);
        Assert.Matches("(?m)^owner +take the ISD over from KVN FF \\(rotate-keys via relay\\) +exit 0 +PASS", run.Output);
        Assert.Matches("(?m)^owner +create SSDs for acme and beta .* PASS", run.Output);
        Assert.Matches("(?m)^acme +its next run, with --reset-auth-guard +all steps 9000 +PASS", run.Output);
        Assert.Matches("(?m)^beta +SELECT acme's security domain +refused by the agent +PASS .*ForbiddenSelect", run.Output);
        Assert.Matches("(?m)^beta +DELETE acme's gate .* PASS .*6982", run.Output);
        Assert.Matches("(?m)^acme +verify a signed meter reading +accepted +PASS", run.Output);
        Assert.Matches("(?m)^attacker +tampered reading \\(value changed\\) +rejected: MAC does not verify +PASS +MAC does not verify", run.Output);
        Assert.Matches("(?m)^attacker +replayed reading +rejected: replayed +PASS", run.Output);
        Assert.Matches("(?m)^relay +times the relay pin was driven +1 +PASS", run.Output);
        Assert.True(File.Exists(dir.File("demo/virtual-se.json")));
    }

    [Fact]
    public void DemoSe05x_TheSameStoryOnTheIotAppletAlone_EveryCheckAsExpected()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("demo", "--card", "se05x", "--dir", dir.File("demo"));

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Output + run.Error);
        Assert.Matches("(?m)^(\\d+) of \\1 checks as expected\\. Demo OK\\.", run.Output);
        Assert.Matches("(?m)^attacker +connect as the agent .* +refused, the agent stays online +PASS", run.Output);
        Assert.Matches("(?m)^beta +publish on acme's request topic +refused and dropped by the broker +PASS .*not authorized", run.Output);
        Assert.Matches("(?m)^owner +create its auth object and request key \\(local link\\) +9000 +PASS", run.Output);
        Assert.Matches("(?m)^owner +open acme's session with the first key +refused by the SE +PASS .*card cryptogram", run.Output);
        Assert.Matches("(?m)^attacker +replay acme's recorded session +refused by the SE +PASS", run.Output);
        Assert.Matches("(?m)^beta +open a session with acme's auth object +refused by the agent +PASS .*ForbiddenCommand", run.Output);
        Assert.Matches("(?m)^beta +delete acme's reading key from its own session +refused by the SE +PASS .*6986", run.Output);
        Assert.Matches("(?m)^attacker +request MAC'd with acme's key \\(beta's topic\\) +rejected: NotAuthenticated +PASS", run.Output);
        Assert.Matches("(?m)^acme +verify a meter reading MAC'd by the SE05x +accepted +PASS", run.Output);
        Assert.Matches("(?m)^attacker +tampered reading \\(value changed\\) +rejected: MAC does not verify +PASS", run.Output);
        Assert.Matches("(?m)^acme +verify an attested read of the room sensor +attested +PASS", run.Output);
        Assert.Matches("(?m)^relay +times the relay pin was driven +1 +PASS", run.Output);
        Assert.True(File.Exists(dir.File("demo/virtual-se.se05x.json")));
    }

    [Fact]
    public void Demo_NonEmptyFolder_IsRefused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("x"), "x");
        CliRun run = CliRun.Of("demo", "--dir", dir.Path);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("not empty", run.Error);
    }
}
