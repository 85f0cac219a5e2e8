using System.CommandLine;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Tests.Cli;

/// <summary>The shared broker client options: <c>--password-file</c> and the TLS options.</summary>
public sealed class BrokerClientOptionsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly BrokerClientOptions _options = new();
    private readonly Option<string?> _password = new("--password");
    private readonly Command _command = new("x");
    private readonly StringWriter _error = new();

    public BrokerClientOptionsTests()
    {
        _command.Add(_password);
        _options.AddTo(_command);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void PasswordFile_FirstLineIsThePassword()
    {
        WriteSecret("s3cret pass\nsecond line\n");
        Assert.True(_options.TryReadPassword(Parse("--password-file", _dir.File("pw")), _password, out string? value), _error.ToString());
        Assert.Equal("s3cret pass", value);
    }

    [Fact]
    public void Password_GivenOnTheCommandLine_Used()
    {
        Assert.True(_options.TryReadPassword(Parse("--password", "p"), _password, out string? value));
        Assert.Equal("p", value);
    }

    [Fact]
    public void PasswordAndPasswordFile_Refused()
    {
        WriteSecret("x\n");
        Assert.False(_options.TryReadPassword(Parse("--password", "p", "--password-file", _dir.File("pw")), _password, out string? value));
        Assert.Null(value);
        Assert.Contains("either --password or --password-file", _error.ToString());
    }

    [Fact]
    public void PasswordFile_ReadableByOthers_RefusedWithoutPrintingIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        WriteSecret("hunter2\n");
        File.SetUnixFileMode(_dir.File("pw"), (UnixFileMode)0b110_100_100);
        Assert.False(_options.TryReadPassword(Parse("--password-file", _dir.File("pw")), _password, out _));
        Assert.Contains("chmod 600", _error.ToString());
        Assert.DoesNotContain("hunter2", _error.ToString());
    }

    [Fact]
    public void PasswordFile_EmptyOrMissing_Refused()
    {
        WriteSecret(string.Empty);
        Assert.False(_options.TryReadPassword(Parse("--password-file", _dir.File("pw")), _password, out _));
        Assert.False(_options.TryReadPassword(Parse("--password-file", _dir.File("missing")), _password, out _));
        Assert.Contains("is empty", _error.ToString());
        Assert.Contains("cannot read the password file", _error.ToString());
    }

    [Fact]
    public void Tls_NothingGiven_NoSettings()
    {
        Assert.True(_options.TryRead(Parse(), out MqttNetSettings? settings));
        Assert.Null(settings);
    }

    [Fact]
    public void Tls_CaCertificateAndKey_InTheSettings()
    {
        using var pki = new NanoAgent.Host.Mqtt.Tests.Tls.TestPki(_dir.Path);
        (string certificate, string key) = pki.IssueClient("acme-be");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Assert.True(_options.TryRead(Parse("--ca-file", pki.CertificateFile, "--cert", certificate, "--key", key), out MqttNetSettings? settings, TimeSpan.FromSeconds(5)));
        Assert.Equal((pki.CertificateFile, certificate, key, false), (settings!.CaCertificateFile, settings.ClientCertificateFile, settings.ClientKeyFile, settings.AllowUntrustedCertificates));
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Timeout);
    }

    [Theory]
    [InlineData("--key goes with --cert", "--key", "c.key")]
    [InlineData("contradict", "--insecure", "--ca-file", "ca.pem")]
    public void Tls_BadCombination_Refused(string expected, params string[] args)
    {
        Assert.False(_options.TryRead(Parse(args), out _));
        Assert.Contains(expected, _error.ToString());
    }

    private ParseResult Parse(params string[] args)
    {
        ParseResult parse = _command.Parse(args);
        parse.InvocationConfiguration.Error = _error;
        return parse;
    }

    private void WriteSecret(string text)
    {
        File.WriteAllText(_dir.File("pw"), text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir.File("pw"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
