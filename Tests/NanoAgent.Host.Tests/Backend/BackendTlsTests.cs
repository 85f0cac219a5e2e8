using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Common;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>
/// <c>nanoagent backend run</c> with <c>--ca-file --cert --key</c> through a real mosquitto whose TLS listener requires
/// client certificates (CN = user name) and whose ACL was written by <c>nanoagent broker acl</c>: the agent and acme's
/// backend each log in with their certificate; beta's certificate cannot reach acme's request topic.
/// </summary>
public sealed class BackendTlsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TlsAclBroker _tls;
    private readonly AgentRig _rig;

    public BackendTlsTests()
    {
        _tls = new TlsAclBroker(
            _dir,
            $"{AgentRig.Tenant} {Hex.Of(AgentRig.Ssd)} 0\nbeta F06E616E6F534402 2\n",
            $"agent-{AgentRig.Device} agent {AgentRig.Device} -\nacme-be tenant acme -\nbeta-be tenant beta -\n");
        (string agentCertificate, string agentKey) = _tls.Pki.IssueClient($"agent-{AgentRig.Device}");
        var settings = new MqttNetSettings { CaCertificateFile = _tls.Pki.CertificateFile, ClientCertificateFile = agentCertificate, ClientKeyFile = agentKey };
        _rig = new AgentRig(0, agentBroker: new MqttBrokerAddress("127.0.0.1", _tls.Port, useTls: true), agentLogin: (settings, new MqttConnectOptions { ClientId = "agent-dev1", CleanSession = true }));
        AgentRig.WriteKeys(_dir.File("keys.json"), 0x01, 0x10);
        AgentRig.WriteKeys(_dir.File("request-key.json"), 0x60, 0x50);
        File.WriteAllText(_dir.File("t.apdu"), TenantBackendTests.Script());
    }

    public void Dispose()
    {
        _rig.Dispose();
        _tls.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void BackendRun_ClientCertificateOfTheTenant_Exit0()
    {
        CliRun run = Run("acme-be", "20");
        Assert.True(run.ExitCode == 0, run.Output + run.Error + _tls.Log);
        Assert.Contains("OK: interactive run, 5 steps", run.Output);
    }

    [Fact]
    public void BackendRun_OtherTenantsCertificateOnAcmesTopics_BrokerDropsItNothingReachesTheAgent()
    {
        int before = _rig.Transport.Commands;
        CliRun run = Run("beta-be", "2");
        Assert.True(run.ExitCode == ExitCodes.Failed, run.Output + run.Error);
        Assert.Contains("not authorized", run.Error);
        Assert.Equal(before, _rig.Transport.Commands);
    }

    [Fact]
    public void BackendRun_WithoutClientCertificate_Exit3SaysTheBrokerWantsOne()
    {
        CliRun run = CliRun.Of(
            "backend", "run", _dir.File("t.apdu"), "--broker", $"mqtts://127.0.0.1:{_tls.Port}", "--ca-file", _tls.Pki.CertificateFile,
            "--device", AgentRig.Device, "--tenant", AgentRig.Tenant, "--keys", _dir.File("keys.json"), "--request-key", _dir.File("request-key.json"), "--state", _dir.File("state.json"));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("requires a client certificate", run.Error + run.Output);
    }

    [Fact]
    public void BackendRun_KeyWithoutCertificate_Exit2()
    {
        CliRun run = CliRun.Of(
            "backend", "run", _dir.File("t.apdu"), "--broker", $"mqtts://127.0.0.1:{_tls.Port}", "--key", _dir.File("x.key"),
            "--device", AgentRig.Device, "--tenant", AgentRig.Tenant, "--keys", _dir.File("keys.json"), "--request-key", _dir.File("request-key.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--key goes with --cert", run.Error);
    }

    private CliRun Run(string user, string timeout)
    {
        (string certificate, string key) = _tls.Pki.IssueClient(user);
        return CliRun.Of(
            "backend", "run", _dir.File("t.apdu"), "--broker", $"mqtts://127.0.0.1:{_tls.Port}", "--ca-file", _tls.Pki.CertificateFile,
            "--cert", certificate, "--key", key, "--device", AgentRig.Device, "--tenant", AgentRig.Tenant,
            "--keys", _dir.File("keys.json"), "--request-key", _dir.File("request-key.json"), "--state", _dir.File("state.json"), "--timeout", timeout);
    }
}
