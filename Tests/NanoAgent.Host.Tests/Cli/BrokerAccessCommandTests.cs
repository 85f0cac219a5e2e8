using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Cli;

/// <summary><c>nanoagent broker passwd</c> and <c>broker acl</c> (docs/broker-security.md).</summary>
public sealed class BrokerAccessCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Passwd_PrintsUsersLineWithHashOfThePasswordNeverThePassword()
    {
        File.WriteAllText(_dir.File("pw"), "correct horse\n");

        CliRun run = CliRun.Of("broker", "passwd", "acme-be", "tenant", "acme", "--password-file", _dir.File("pw"));

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        Assert.DoesNotContain("correct horse", run.Output + run.Error);
        BrokerUser user = Assert.Single(BrokerUserFile.Parse(run.Output));
        Assert.Equal(("acme-be", BrokerRole.Tenant, "acme"), (user.Name, user.Role, user.Scope));
        Assert.True(MosquittoPasswordHash.Verify(user.PasswordHash!, "correct horse"));
    }

    [Fact]
    public void Passwd_BadRole_Exit2WithReason()
    {
        File.WriteAllText(_dir.File("pw"), "x\n");
        CliRun run = CliRun.Of("broker", "passwd", "u", "admin", "acme", "--password-file", _dir.File("pw"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("role 'admin' is not agent, tenant, owner or provision", run.Error);
    }

    [Fact]
    public void Passwd_EmptyPassword_Exit2()
    {
        File.WriteAllText(_dir.File("pw"), "");
        Assert.Equal(ExitCodes.Usage, CliRun.Of("broker", "passwd", "u", "tenant", "acme", "--password-file", _dir.File("pw")).ExitCode);
    }

    [Fact]
    public void Acl_WritesPasswordAndAclFilesOwnerOnly()
    {
        WriteFiles($"dev1-agent agent dev1 {MosquittoPasswordHash.Create("a", 2)}\nacme-be tenant acme {MosquittoPasswordHash.Create("b", 2)}\nbeta-be tenant beta -\n");

        CliRun run = CliRun.Of("broker", "acl", "--tenants", _dir.File("tenants"), "--users", _dir.File("users"), "--out", _dir.File("out"));

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        Assert.Contains(_dir.File("out/nanoagent.conf"), run.Output);
        string config = File.ReadAllText(_dir.File("out/nanoagent.conf"));
        Assert.Contains("acl_file " + _dir.File("out/mosquitto.acl") + "\n", config);
        Assert.Contains("password_file " + _dir.File("out/mosquitto.passwd") + "\n", config);
        Assert.Contains("allow_anonymous false\n", config);
        Assert.Contains("listener 1883\n", config);
        Assert.EndsWith("use_username_as_clientid true\n", config);
        string[] passwords = File.ReadAllLines(_dir.File("out/mosquitto.passwd"));
        Assert.Equal(["dev1-agent", "acme-be"], passwords.Select(l => l.Split(':')[0]));
        Assert.True(MosquittoPasswordHash.Verify(passwords[1].Split(':', 2)[1], "b"));
        string acl = File.ReadAllText(_dir.File("out/mosquitto.acl"));
        Assert.Contains("user acme-be\ntopic read nanoagent/dev1/acme/script/res\n", acl);
        Assert.Contains("topic write nanoagent/dev1/acme/script/req\n", acl);
        Assert.Contains("user beta-be\n", acl);
        Assert.Contains("user dev1-agent\ntopic read nanoagent/dev1/+/script/req\n", acl);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("out/mosquitto.passwd")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("out/mosquitto.acl")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("out/nanoagent.conf")));
        }
    }

    [Fact]
    public void Acl_UsersFileReadableByOthers_Exit2()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        WriteFiles("dev1-agent agent dev1 -\n");
        File.SetUnixFileMode(_dir.File("users"), (UnixFileMode)0b110_100_100);

        CliRun run = CliRun.Of("broker", "acl", "--tenants", _dir.File("tenants"), "--users", _dir.File("users"), "--out", _dir.File("out"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("chmod 600", run.Error);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void Acl_UserOfUnknownTenant_Exit2NamesIt()
    {
        WriteFiles("dev1-agent agent dev1 -\ngamma-be tenant gamma -\n");
        CliRun run = CliRun.Of("broker", "acl", "--tenants", _dir.File("tenants"), "--users", _dir.File("users"), "--out", _dir.File("out"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("tenant 'gamma', which is not in the tenants file", run.Error);
    }

    [Fact]
    public void Broker_UsersWithoutTenants_Exit2()
    {
        WriteFiles("dev1-agent agent dev1 -\n");
        CliRun run = CliRun.Of("broker", "--users", _dir.File("users"), "--duration", "1");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("go together", run.Error);
    }

    [Fact]
    public async Task Broker_WithUsers_RightPasswordInWrongPasswordRefusedAndLogged()
    {
        WriteFiles($"dev1-agent agent dev1 {MosquittoPasswordHash.Create("agent-pw", 2)}\n");
        int port = EmbeddedBroker.FreeLoopbackPort();
        Task<CliRun> broker = Task.Run(() => CliRun.Of("broker", "--port", port.ToString(), "--tenants", _dir.File("tenants"), "--users", _dir.File("users"), "--duration", "3"));
        var address = new MqttBrokerAddress("127.0.0.1", port, useTls: false);

        using (var agent = new MqttNetConnection(address))
        {
            ConnectWhenUp(agent, new MqttConnectOptions { ClientId = "dev1-agent", UserName = "dev1-agent", Password = "agent-pw", CleanSession = true });
            Assert.True(agent.IsConnected);
        }

        using var intruder = new MqttNetConnection(address);
        var e = Assert.Throws<MqttConnectionRefusedException>(() => intruder.Connect(new MqttConnectOptions { ClientId = "i", UserName = "dev1-agent", Password = "guess", CleanSession = true }));
        Assert.Contains("bad user name or password", e.Message);

        CliRun run = await broker;
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("(1 users, topic rules enforced)", run.Output);
        Assert.Contains("broker: refused connection of client 'i' as user 'dev1-agent'", run.Output);
        Assert.DoesNotContain("guess", run.Output);
    }

    private static void ConnectWhenUp(MqttNetConnection connection, MqttConnectOptions options)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(3);
        while (true)
        {
            try
            {
                connection.Connect(options);
                return;
            }
            catch (MqttConnectionException e) when (DateTime.UtcNow < deadline && !e.Message.Contains("refused the connection"))
            {
                Thread.Sleep(50); // polling for the broker to listen, not timing an assertion
            }
        }
    }

    private void WriteFiles(string users)
    {
        File.WriteAllText(_dir.File("tenants"), "acme F06E616E6F534401 1\nbeta F06E616E6F534402 2\n");
        File.WriteAllText(_dir.File("users"), users);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir.File("users"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
