using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Tests.Brokers;
using NanoAgent.Host.Mqtt.Tests.Tls;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>
/// <c>nanoagent backend run</c> with <c>--ca-file --cert --key</c> through a real mosquitto whose TLS listener requires
/// client certificates (CN = user name) and whose ACL was written by <c>nanoagent broker acl</c>: the agent and acme's
/// backend each log in with their certificate; beta's certificate cannot reach acme's request topic.
/// </summary>
public sealed class BackendTlsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestPki _pki;
    private readonly MosquittoFixture _broker;
    private readonly AgentRig _rig;

    public BackendTlsTests()
    {
        _pki = new TestPki(_dir.Path);
        (string serverCertificate, string serverKey) = _pki.IssueServer();
        File.WriteAllText(_dir.File("tenants"), $"{AgentRig.Tenant} {Hex.Of(AgentRig.Ssd)} 0\nbeta F06E616E6F534402 2\n");
        File.WriteAllText(_dir.File("users"), $"agent-{AgentRig.Device} agent {AgentRig.Device} -\nacme-be tenant acme -\nbeta-be tenant beta -\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir.File("users"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        CliRun acl = CliRun.Of("broker", "acl", "--tenants", _dir.File("tenants"), "--users", _dir.File("users"), "--out", _dir.File("acl"));
        Assert.True(acl.ExitCode == 0, acl.Error);
        MosquittoFixture.MakeReadableByBroker(_dir.Path, directory: true);
        MosquittoFixture.MakeReadableByBroker(_dir.File("acl"), directory: true);
        foreach (string file in new[] { _dir.File("acl/mosquitto.acl"), _pki.CertificateFile, serverCertificate, serverKey })
        {
            MosquittoFixture.MakeReadableByBroker(file);
        }

        _broker = new MosquittoFixture((_, port) =>
        [
            "persistence false", "allow_anonymous false", $"acl_file {_dir.File("acl/mosquitto.acl")}",
            $"listener {port} 127.0.0.1", $"cafile {_pki.CertificateFile}", $"certfile {serverCertificate}", $"keyfile {serverKey}",
            "require_certificate true", "use_identity_as_username true",
        ]);
        _broker.Start();
        (string agentCertificate, string agentKey) = _pki.IssueClient($"agent-{AgentRig.Device}");
        var settings = new MqttNetSettings { CaCertificateFile = _pki.CertificateFile, ClientCertificateFile = agentCertificate, ClientKeyFile = agentKey };
        _rig = new AgentRig(0, new MqttBrokerAddress("127.0.0.1", _broker.Port, useTls: true), (settings, new MqttConnectOptions { ClientId = "agent-dev1", CleanSession = true }));
        AgentRig.WriteKeys(_dir.File("keys.json"), 0x01, 0x10);
        File.WriteAllText(_dir.File("t.apdu"), TenantBackendTests.Script());
    }

    public void Dispose()
    {
        _rig.Dispose();
        _broker.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void BackendRun_ClientCertificateOfTheTenant_Exit0()
    {
        CliRun run = Run("acme-be", "20");
        Assert.True(run.ExitCode == 0, run.Output + run.Error + _broker.Log);
        Assert.Contains("OK: interactive run, 5 steps", run.Output);
    }

    [Fact]
    public void BackendRun_OtherTenantsCertificateOnAcmesTopics_BrokerDropsItNothingReachesTheAgent()
    {
        int before = _rig.Transport.Commands;
        CliRun run = Run("beta-be", "2");
        Assert.Equal(3, run.ExitCode);
        Assert.Equal(before, _rig.Transport.Commands);
    }

    [Fact]
    public void BackendRun_WithoutClientCertificate_Exit3SaysTheBrokerWantsOne()
    {
        CliRun run = CliRun.Of(
            "backend", "run", _dir.File("t.apdu"), "--broker", $"mqtts://127.0.0.1:{_broker.Port}", "--ca-file", _pki.CertificateFile,
            "--device", AgentRig.Device, "--tenant", AgentRig.Tenant, "--keys", _dir.File("keys.json"), "--state", _dir.File("state.json"));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("requires a client certificate", run.Error + run.Output);
    }

    [Fact]
    public void BackendRun_KeyWithoutCertificate_Exit2()
    {
        CliRun run = CliRun.Of(
            "backend", "run", _dir.File("t.apdu"), "--broker", $"mqtts://127.0.0.1:{_broker.Port}", "--key", _dir.File("x.key"),
            "--device", AgentRig.Device, "--tenant", AgentRig.Tenant, "--keys", _dir.File("keys.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--key goes with --cert", run.Error);
    }

    private CliRun Run(string user, string timeout)
    {
        (string certificate, string key) = _pki.IssueClient(user);
        return CliRun.Of(
            "backend", "run", _dir.File("t.apdu"), "--broker", $"mqtts://127.0.0.1:{_broker.Port}", "--ca-file", _pki.CertificateFile,
            "--cert", certificate, "--key", key, "--device", AgentRig.Device, "--tenant", AgentRig.Tenant,
            "--keys", _dir.File("keys.json"), "--state", _dir.File("state.json"), "--timeout", timeout);
    }
}
