using System.Net;
using System.Net.Sockets;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Serve;

public class ServeCommandTests
{
    [Fact]
    public void Help_NamesTheFrontEnds()
    {
        CliRun run = CliRun.Of("serve", "--help");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("--vpcd", run.Output);
        Assert.Contains("--jrcp", run.Output);
        Assert.Contains("--serial", run.Output);
        Assert.Contains("--via", run.Output);
    }

    [Theory]
    [InlineData("--jrcp", "99999")]
    [InlineData("--jrcp", "example.org:8050")]
    [InlineData("--vpcd", "localhost:port")]
    [InlineData("--vpcd", "0")]
    [InlineData("--via", "usb:/dev/ttyACM0")]
    [InlineData("--no-such-option", "1")]
    public void BadOption_IsAUsageError(string option, string value)
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("serve", "--state", dir.File("se.json"), option, value);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Fact]
    public void ViaWithABus_IsAUsageError()
    {
        Assert.Equal(ExitCodes.Usage, CliRun.Of("serve", "--via", "serial:/dev/ttyACM0", "--bus", "/dev/i2c-1").ExitCode);
    }

    [Fact]
    public void JrcpPortInUse_ExitsNoDeviceWithTheReason()
    {
        using var dir = new TempDir();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            CliRun run = CliRun.Of("serve", "--state", dir.File("se.json"), "--jrcp", port.ToString());
            Assert.Equal(ExitCodes.NoDevice, run.ExitCode);
            Assert.Contains($"cannot start the JRCP server on 127.0.0.1:{port}", run.Error);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void SerialDeviceMissing_IsNoDevice()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("serve", "--state", dir.File("se.json"), "--serial", dir.File("no-such-tty"));
        Assert.Equal(ExitCodes.NoDevice, run.ExitCode);
    }

    [Theory]
    [InlineData(15, "SIGTERM")]
    [InlineData(2, "SIGINT")]
    public void Signal_EndsServeWithOneLineAndExitZero(int signal, string name)
    {
        using var dir = new TempDir();
        using var serve = ServeProcess.Start("--state", dir.File("se.json"), "--jrcp", "0");
        serve.WaitFor("serving until SIGTERM or Ctrl+C");
        string before = serve.Output;

        serve.Signal(signal);

        Assert.Equal(ExitCodes.Ok, serve.WaitForExit());
        string after = serve.Output[before.Length..];
        Assert.Equal([$"serve stopped ({name})"], after.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
