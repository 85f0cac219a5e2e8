using NanoAgent.Host.Mqtt.Tests.Brokers;
using NanoAgent.Host.Mqtt.Tests.Tls;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>
/// mosquitto with a TLS listener that requires client certificates (CN = user name, <c>use_identity_as_username</c>) and
/// the ACL <c>nanoagent broker acl</c> wrote from a tenants file and a users file; the CA and certificates are made here.
/// </summary>
public sealed class TlsAclBroker : IDisposable
{
    private readonly MosquittoFixture _broker;

    public TlsAclBroker(TempDir dir, string tenants, string users)
    {
        Pki = new TestPki(dir.Path);
        (string serverCertificate, string serverKey) = Pki.IssueServer();
        File.WriteAllText(dir.File("tenants"), tenants);
        File.WriteAllText(dir.File("users"), users);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir.File("users"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        CliRun acl = CliRun.Of("broker", "acl", "--tenants", dir.File("tenants"), "--users", dir.File("users"), "--out", dir.File("acl"));
        Assert.True(acl.ExitCode == 0, acl.Error);
        MosquittoFixture.MakeReadableByBroker(dir.Path, directory: true);
        MosquittoFixture.MakeReadableByBroker(dir.File("acl"), directory: true);
        foreach (string file in new[] { dir.File("acl/mosquitto.acl"), Pki.CertificateFile, serverCertificate, serverKey })
        {
            MosquittoFixture.MakeReadableByBroker(file);
        }

        _broker = new MosquittoFixture((_, port) =>
        [
            "persistence false", "allow_anonymous false", $"acl_file {dir.File("acl/mosquitto.acl")}",
            $"listener {port} 127.0.0.1", $"cafile {Pki.CertificateFile}", $"certfile {serverCertificate}", $"keyfile {serverKey}",
            "require_certificate true", "use_identity_as_username true", "use_username_as_clientid true",
        ]);
        _broker.Start();
    }

    public TestPki Pki { get; }

    public int Port => _broker.Port;

    public string Url => $"mqtts://127.0.0.1:{_broker.Port}";

    public string Log => _broker.Log;

    public void Dispose()
    {
        _broker.Dispose();
        Pki.Dispose();
    }
}
