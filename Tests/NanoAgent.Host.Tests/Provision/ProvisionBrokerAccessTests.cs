using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Tests.Provision;

/// <summary><c>provision --embedded-broker --broker-users U --tenants T</c>: the laptop's broker enforces logins (docs/broker-security.md).</summary>
public sealed class ProvisionBrokerAccessTests : IDisposable
{
    private readonly ProvisionRig _rig = new();

    public ProvisionBrokerAccessTests()
    {
        File.WriteAllText(_rig.Dir.File("tenants"), $"owner {Hex.Of(NanoAgent.VirtualSe.State.CardState.DefaultIsdAid)} 0\nacme {Hex.Of(ProvisionRig.SsdAcme)} 1\nbeta {Hex.Of(ProvisionRig.SsdBeta)} 2\n");
        File.WriteAllText(_rig.Dir.File("users"), $"{ProvisionRig.Device} agent {ProvisionRig.Device} {MosquittoPasswordHash.Create("agent-pw", 2)}\nfield provision * {MosquittoPasswordHash.Create("field-pw", 2)}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_rig.Dir.File("users"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void EmbeddedBrokerWithUsers_ConsoleWithWrongPassword_Exit1BadUserNameOrPassword()
    {
        File.WriteAllText(_rig.Dir.File("pw"), "guess\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_rig.Dir.File("pw"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        CliRun run = CliRun.Of(_rig.Args("--embedded-broker", "0", "--broker-users", _rig.Dir.File("users"), "--tenants", _rig.Dir.File("tenants"), "--user", "field", "--password-file", _rig.Dir.File("pw")));

        Assert.Equal(1, run.ExitCode); // the broker answered, with a refusal
        Assert.Contains("2 users, topic rules enforced", run.Output);
        Assert.Contains("bad user name or password", run.Error);
        Assert.Contains("broker: refused connection", run.Output);
        Assert.DoesNotContain("guess", run.Output);
    }

    [Fact]
    public void BrokerUsersWithoutEmbeddedBroker_Exit2()
    {
        CliRun run = CliRun.Of(_rig.Args("--broker-users", _rig.Dir.File("users"), "--tenants", _rig.Dir.File("tenants")));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give it with --embedded-broker", run.Error);
    }
}
