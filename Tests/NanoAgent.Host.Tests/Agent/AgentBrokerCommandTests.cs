using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Tests.Backend;

namespace NanoAgent.Host.Tests.Agent;

/// <summary><c>nanoagent agent</c>'s broker options: TLS with a client certificate to mosquitto, and <c>--broker-users</c>.</summary>
public sealed class AgentBrokerCommandTests : IDisposable
{
    private readonly AgentRig _rig = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _rig.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Run_MqttsWithCaAndClientCertificate_OnlineStatusReadByTheTenant()
    {
        using var tls = new TlsAclBroker(_dir, $"acme {AgentRig.AcmeSd} 1\n", "dev1-agent agent dev1 -\nacme-be tenant acme -\n");
        (string agentCertificate, string agentKey) = tls.Pki.IssueClient("dev1-agent");
        (string acmeCertificate, string acmeKey) = tls.Pki.IssueClient("acme-be");
        var settings = new MqttNetSettings { CaCertificateFile = tls.Pki.CertificateFile, ClientCertificateFile = acmeCertificate, ClientKeyFile = acmeKey };
        using var acme = new MqttNetConnection(new MqttBrokerAddress("127.0.0.1", tls.Port, useTls: true), settings);
        acme.Connect(new MqttConnectOptions { ClientId = "acme", CleanSession = true });
        var statuses = new System.Collections.Concurrent.BlockingCollection<MqttMessage>();
        acme.MessageReceived += (_, m) => statuses.Add(m);
        acme.Subscribe(["nanoagent/dev1/status"], [MqttQos.AtLeastOnce]);

        CliRun run = CliRun.Of("agent", "--tenants", _dir.File("tenants"), "--state", _rig.StatePath, "--store", _rig.StorePath,
            "--platform-keys", _rig.KeyPath, "--broker", tls.Url, "--ca-file", tls.Pki.CertificateFile, "--cert", agentCertificate, "--key", agentKey,
            "--duration", "1");

        Assert.True(run.ExitCode == 0, run.Output + run.Error + tls.Log);
        Assert.Contains($"agent dev1 online at {tls.Url}", run.Output);
        Assert.True(statuses.TryTake(out MqttMessage? status, TimeSpan.FromSeconds(10)), "no status from the agent");
        Assert.Equal("nanoagent/dev1/status", status!.Topic);
    }

    [Fact]
    public void Run_EmbeddedBrokerWithBrokerUsersAndPasswordFile_Online()
    {
        File.WriteAllText(_dir.File("tenants"), $"acme {AgentRig.AcmeSd} 1\n");
        WriteOwnerOnly("users", $"dev1-agent agent dev1 {MosquittoPasswordHash.Create("agent-pw", 2)}\nacme-be tenant acme -\n");
        WriteOwnerOnly("pw", "agent-pw\n");

        CliRun run = CliRun.Of("agent", "--tenants", _dir.File("tenants"), "--state", _rig.StatePath, "--store", _rig.StorePath,
            "--platform-keys", _rig.KeyPath, "--embedded-broker", "0", "--broker-users", _dir.File("users"),
            "--user", "dev1-agent", "--password-file", _dir.File("pw"), "--duration", "1");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("agent dev1 online", run.Output);
        Assert.DoesNotContain("agent-pw", run.Output + run.Error);
    }

    [Fact]
    public void Run_EmbeddedBrokerWithBrokerUsersWrongAgentPassword_Exit1Refused()
    {
        File.WriteAllText(_dir.File("tenants"), $"acme {AgentRig.AcmeSd} 1\n");
        WriteOwnerOnly("users", $"dev1-agent agent dev1 {MosquittoPasswordHash.Create("agent-pw", 2)}\n");

        CliRun run = CliRun.Of("agent", "--tenants", _dir.File("tenants"), "--state", _rig.StatePath, "--store", _rig.StorePath,
            "--platform-keys", _rig.KeyPath, "--embedded-broker", "0", "--broker-users", _dir.File("users"),
            "--user", "dev1-agent", "--password", "wrong", "--duration", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bad user name or password", run.Error);
    }

    [Fact]
    public void Run_BrokerUsersWithoutEmbeddedBroker_UsageError()
    {
        CliRun run = CliRun.Of("agent", "--tenants", "x", "--broker", "mqtt://127.0.0.1:1", "--broker-users", "u");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--broker-users configures the embedded broker", run.Error);
    }

    private void WriteOwnerOnly(string name, string text)
    {
        File.WriteAllText(_dir.File(name), text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir.File(name), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
