using NanoAgent.Host.Common;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Tests.Brokers;
using NanoAgent.Host.Mqtt.Tests.Tls;

namespace NanoAgent.Host.Tests.Cli;

/// <summary>
/// TLS mistakes a user makes with the broker options, through the real command line (<c>backend watch</c>, <c>agent</c>):
/// a private key open to others, TLS options on a plain <c>mqtt://</c> broker, a missing or corrupt CA file (bad input, one
/// line, exit 2), and the wrong scheme for the port (exit 3 with the scheme to use), the last two against real mosquitto.
/// </summary>
public sealed class BrokerTlsMistakeTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestPki _pki;

    public BrokerTlsMistakeTests()
    {
        _pki = new TestPki(_dir.Path);
        File.WriteAllText(_dir.File("mac.key"), "000102030405060708090A0B0C0D0E0F\n");
        OwnerOnly(_dir.File("mac.key"));
    }

    public void Dispose()
    {
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void KeyReadableByOthers_RefusedLikeSsh_Exit2OneLine()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        (string certificate, string key) = _pki.IssueClient("acme-be");
        File.SetUnixFileMode(key, (UnixFileMode)0b110_100_100);

        CliRun run = Watch("mqtts://127.0.0.1:1", "--ca-file", _pki.CertificateFile, "--cert", certificate, "--key", key);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal($"error: {key}: private key readable or writable by group or others (mode 644): chmod 600 it (as ssh requires)", run.Error.TrimEnd('\n'));
    }

    [Fact]
    public void KeyInsideTheCertificateFile_GroupReadable_Refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        (string certificate, string key) = _pki.IssueClient("acme-be");
        string both = _dir.File("both.pem");
        File.WriteAllText(both, File.ReadAllText(certificate) + File.ReadAllText(key));
        File.SetUnixFileMode(both, (UnixFileMode)0b110_100_000);

        CliRun run = Watch("mqtts://127.0.0.1:1", "--ca-file", _pki.CertificateFile, "--cert", both);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: {both}: private key readable or writable by group or others (mode 640)", run.Error);
    }

    [Fact]
    public void KeyOwnerOnly_Accepted_ThenTheUnreachableBrokerIsExit3()
    {
        (string certificate, string key) = _pki.IssueClient("acme-be");
        OwnerOnly(key);

        CliRun run = Watch($"mqtts://127.0.0.1:{EmbeddedBroker.FreeLoopbackPort()}", "--ca-file", _pki.CertificateFile, "--cert", certificate, "--key", key);

        Assert.True(run.ExitCode == ExitCodes.NoDevice, run.Error);
    }

    [Theory]
    [InlineData("--ca-file is for TLS", "--ca-file")]
    [InlineData("--ca-file, --cert, --key are for TLS", "--ca-file", "--cert", "--key")]
    [InlineData("--insecure is for TLS", "--insecure")]
    public void TlsOptionsOnPlainMqtt_Exit2OneLine(string expected, params string[] options)
    {
        (string certificate, string key) = _pki.IssueClient("acme-be");
        OwnerOnly(key);
        var args = new List<string>();
        foreach (string option in options)
        {
            args.Add(option);
            string? value = option switch { "--ca-file" => _pki.CertificateFile, "--cert" => certificate, "--key" => key, _ => null };
            if (value != null)
            {
                args.Add(value);
            }
        }

        CliRun run = Watch("mqtt://127.0.0.1:1883", [.. args]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains($"{expected}, but --broker mqtt://127.0.0.1:1883 is plain MQTT: use --broker mqtts://host:port", run.Error);
    }

    [Fact]
    public void Agent_CaFileWithItsEmbeddedBroker_Exit2()
    {
        File.WriteAllText(_dir.File("tenants"), "acme F06E616E6F534401 1\n");
        CliRun run = CliRun.Of("agent", "--tenants", _dir.File("tenants"), "--embedded-broker", "0", "--state", _dir.File("se.json"), "--ca-file", _pki.CertificateFile);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--ca-file is for TLS, but the embedded broker is plain MQTT", run.Error);
    }

    [Fact]
    public void CaFileMissing_Exit2NamesTheFile()
    {
        CliRun run = Watch("mqtts://127.0.0.1:1", "--ca-file", _dir.File("no-ca.pem"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal($"error: {_dir.File("no-ca.pem")}: CA certificate file not found", run.Error.TrimEnd('\n'));
    }

    [Fact]
    public void CaFileCorrupt_Exit2NamesTheFile()
    {
        File.WriteAllText(_dir.File("ca.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        CliRun run = Watch("mqtts://127.0.0.1:1", "--ca-file", _dir.File("ca.pem"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: {_dir.File("ca.pem")}: not a CA certificate (PEM or DER)", run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void PlainMqttToMosquittosTlsPort_Exit3SaysUseMqtts()
    {
        (string serverCertificate, string serverKey) = _pki.IssueServer();
        MosquittoFixture.MakeReadableByBroker(_dir.Path, directory: true);
        foreach (string file in new[] { _pki.CertificateFile, serverCertificate, serverKey })
        {
            MosquittoFixture.MakeReadableByBroker(file);
        }

        using var broker = new MosquittoFixture((_, port) =>
        [
            "persistence false", "allow_anonymous true", $"listener {port} 127.0.0.1",
            $"cafile {_pki.CertificateFile}", $"certfile {serverCertificate}", $"keyfile {serverKey}",
        ]);
        broker.Start();

        CliRun run = Watch($"mqtt://127.0.0.1:{broker.Port}");

        Assert.True(run.ExitCode == ExitCodes.NoDevice, run.Error);
        Assert.Contains($"the port answers with TLS: use mqtts://127.0.0.1:{broker.Port}", run.Error);
    }

    [Fact]
    public void MqttsToMosquittosPlainPort_Exit3SaysUseMqtt()
    {
        using var broker = new MosquittoFixture();
        broker.Start();

        CliRun run = Watch($"mqtts://127.0.0.1:{broker.Port}", "--insecure");

        Assert.True(run.ExitCode == ExitCodes.NoDevice, run.Error);
        Assert.Contains($"the port speaks plain MQTT, not TLS: use mqtt://127.0.0.1:{broker.Port}", run.Error);
    }

    private static void OwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private CliRun Watch(string broker, params string[] tls) => CliRun.Of(
    [
        "backend", "watch", "--broker", broker, "--device", "dev1", "--tenant", "acme", "--gate", "F06E616E6F47410A",
        "--mac-key-file", _dir.File("mac.key"), "--state", _dir.File("readings.counter"), "--count", "1", "--duration", "1", .. tls,
    ]);
}
