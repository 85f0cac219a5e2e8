using NanoAgent.Host.Common;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Tests.Docs;

namespace NanoAgent.Host.Tests.Demo;

/// <summary>
/// issue 21: <c>demo --dir D</c> leaves a rig that runs again by hand. After a demo, the commands of D/README.md run as
/// separate processes (broker, agent, then each backend: a script, watch, actuate), each with the exit code and output the
/// README states, from D's files alone.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DemoRigTests
{
    [Fact]
    public void DemoDir_HoldsEveryLoginAndKey_AndItsReadmeRunsTheRigByHand()
    {
        using var dir = new TempDir();
        string rig = dir.File("rig");
        CliRun demo = CliRun.Of("demo", "--dir", rig);
        Assert.True(demo.ExitCode == ExitCodes.Ok, demo.Output + demo.Error);
        Assert.Contains($"{Path.Combine(rig, "README.md")} runs the rig again by hand", demo.Output);

        foreach (string secret in new[] { "meter-001.pw", "owner.pw", "acme.pw", "beta.pw", "broker-users.txt", "owner-keys.json", "owner-request-key.json",
            "acme-keys.json", "acme-request-key.json", "acme-gate.key", "beta-keys.json", "beta-request-key.json", "beta-gate.key", "platform-keys.json" })
        {
            Assert.True(File.Exists(Path.Combine(rig, secret)), secret);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(rig, secret)));
        }

        Assert.Contains("acme A0000001515350410A\n", File.ReadAllText(Path.Combine(rig, "tenants.txt")));
        Assert.Matches("(?m)^acme tenant acme \\$7\\$", File.ReadAllText(Path.Combine(rig, "broker-users.txt")));

        string readme = File.ReadAllText(Path.Combine(rig, "README.md"));
        DocRunner.RunAll("README.md", readme, rig, new Dictionary<string, string> { ["PORT"] = EmbeddedBroker.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture) }, TimeSpan.FromSeconds(120));

        Assert.Equal("01\n", File.ReadAllText(Path.Combine(rig, "relay.log"))); // acme's verified command reached its actuator
        Assert.Equal("01\n", File.ReadAllText(Path.Combine(rig, "valve.log")));
        Assert.Contains("agent stopped", File.ReadAllText(Path.Combine(rig, "agent.log")));
    }
}
