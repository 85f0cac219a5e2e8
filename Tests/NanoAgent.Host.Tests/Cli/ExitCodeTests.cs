using System.Net;
using System.Net.Sockets;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Cli;

/// <summary>Issue 13 item 6: each command line that gave an exit code the README does not promise (one test per row).</summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SeApdu_MalformedApdu_Usage()
    {
        CliRun run = CliRun.Of("se", "apdu", "--state", _dir.File("se.json"), "80CA00");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("'80CA00' is not a command APDU", run.Error);
        Assert.False(File.Exists(_dir.File("se.json")), "refused before the SE is opened");
    }

    [Fact]
    public void Agent_DeviceIdNotAnIdentifier_UsageBeforeTheSeIsOpened()
    {
        CliRun run = CliRun.Of(AgentArgs("--device", "a/#", "--embedded-broker", "0"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--device 'a/#' is not an identifier", run.Error);
        Assert.False(File.Exists(_dir.File("se.json")), "refused before the SE is opened");
    }

    [Fact]
    public void Agent_EmbeddedBrokerPortOutOfRange_Usage()
    {
        CliRun run = CliRun.Of(AgentArgs("--embedded-broker", "99999"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--embedded-broker 99999 is not a TCP port", run.Error);
        Assert.False(File.Exists(_dir.File("se.json")));
    }

    [Theory]
    [InlineData("broker", "--port", "99999")]
    [InlineData("provision", "--device", "d", "--bundle", "b.json", "--embedded-broker", "70000")]
    public void OtherPortOptionsOutOfRange_Usage(params string[] args)
    {
        CliRun run = CliRun.Of(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("is not a TCP port", run.Error);
    }

    [Fact]
    public void Demo_DirIsAFile_OneLineUsage()
    {
        File.WriteAllText(_dir.File("afile"), "x");

        CliRun run = CliRun.Of("demo", "--dir", _dir.File("afile"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("error: " + _dir.File("afile") + ": is a file", run.Error);
    }

    [Fact]
    public void Scp03Open_UndefinedSecurityLevel_Usage()
    {
        CliRun run = CliRun.Of("scp03", "open", "--state", _dir.File("se.json"), "--keys", "default", "--level", "99");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("'99' is not a security level", run.Error);
        Assert.DoesNotContain("Opening SCP03", run.Output);
    }

    [Fact]
    public void SeApdu_BusAndSpiTogether_Usage()
    {
        CliRun run = CliRun.Of("se", "apdu", "--bus", "X", "--spi", "virtual", "00A4040000");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("either --bus (I2C) or --spi", run.Error);
    }

    [Fact]
    public void SeApdu_NotABusName_Usage()
    {
        CliRun run = CliRun.Of("se", "apdu", "--bus", "X", "00A4040000");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("'X' is not a bus name", run.Error);
    }

    [Fact]
    public void Agent_BrokerUnreachable_NoDeviceLikeBackendAndProvision()
    {
        CliRun run = CliRun.Of(AgentArgs("--broker", $"mqtt://127.0.0.1:{ClosedPort()}"));

        Assert.Equal(ExitCodes.NoDevice, run.ExitCode);
        Assert.Contains("connection refused", run.Error);
    }

    private string[] AgentArgs(params string[] more)
    {
        File.WriteAllText(_dir.File("tenants.txt"), "acme A0000001515350410A 1\n");
        return ["agent", "--tenants", _dir.File("tenants.txt"), "--state", _dir.File("se.json"), "--store", _dir.File("store.json"),
            "--new-store", "--no-platform-scp", "--duration", "1", .. more];
    }

    // A port nothing listens on: bound, read, released.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
