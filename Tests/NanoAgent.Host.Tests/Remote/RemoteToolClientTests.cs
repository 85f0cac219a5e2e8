using System.Net.Sockets;
using System.Text.Json;
using NanoAgent.Drivers.Remote;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Remote;
using NanoAgent.Host.Se;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Remote;

public class RemoteToolClientTests
{
    private static string Spaced(byte[] bytes) => string.Join(" ", bytes.Select(b => b.ToString("X2")));

    private static (Task<RemoteSessionEnd> Session, SeConnection Connection) StartClient(TestToolServer tool, TempDir dir, string name, StringWriter log)
    {
        var connection = SeConnection.Create(new SeTarget { StatePath = dir.File("se.json") });
        connection.Transport.Open();
        var session = Task.Run(() => RemoteToolClient.Serve(ToolAddress.Parse(tool.Address), name, connection, log, out _));
        return (session, connection);
    }

    [Fact]
    public async Task Serve_EveryRequestAgainstVirtualSe_AnswersPerReadme()
    {
        using var dir = new TempDir();
        using var tool = new TestToolServer();
        var log = new StringWriter();
        var (session, connection) = StartClient(tool, dir, "bench-1", log);
        using (connection)
        {
            Assert.Equal("bench-1", tool.Accept());

            JsonElement cold = tool.Request(10, timeout: 30000);
            Assert.Equal(0, cold.GetProperty("err_client_code").GetInt32());
            Assert.Equal(0, cold.GetProperty("err_terminal_code").GetInt32());
            Assert.Equal(Spaced(connection.Transport.InterfaceBytes), cold.GetProperty("response").GetString());

            JsonElement warm = tool.Request(11);
            Assert.Equal(Spaced(connection.Transport.InterfaceBytes), warm.GetProperty("response").GetString());

            // SELECT the ISD (GP default AID A000000151000000): the virtual SE answers its FCI and 9000.
            string select = tool.Request(6, "00A4040008A000000151000000").GetProperty("response").GetString()!;
            Assert.StartsWith("6F", select);
            Assert.EndsWith("90 00", select);

            Assert.Equal("CAFE 01", tool.Request(3, "CAFE 01").GetProperty("response").GetString());
            Assert.Contains("virtual I2C 0x48", tool.Request(1).GetProperty("response").GetString());

            tool.SendBody("{\"request\":");
            JsonElement broken = tool.ReadResponse();
            Assert.Equal(-6, broken.GetProperty("err_client_code").GetInt32());
            Assert.Equal("KO", broken.GetProperty("response").GetString());

            Assert.Equal(-5, tool.Request(7, "26").GetProperty("err_client_code").GetInt32());
            Assert.Equal(-5, tool.Request(6, "not hex").GetProperty("err_client_code").GetInt32());
            Assert.Equal(0, tool.Request(6, "80CA9F7F00").GetProperty("err_client_code").GetInt32());

            tool.SendBody(JsonSerializer.Serialize(new { data = "", request = 2, timeout = 1000 }));
            Assert.Equal(RemoteSessionEnd.Disconnected, await session.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Null(tool.ReadMessage()); // no response to REQ_DISCONNECT; the client closed the socket
        }

        Assert.Contains("REQ_COLD_RESET   OK", log.ToString());
        Assert.Contains("client -6", log.ToString());
    }

    [Fact]
    public async Task Serve_ToolHangsUp_EndsToolClosed()
    {
        using var dir = new TempDir();
        using var tool = new TestToolServer();
        var (session, connection) = StartClient(tool, dir, "x", new StringWriter());
        using (connection)
        {
            tool.Accept();
            Assert.Equal("AA", tool.Request(3, "AA").GetProperty("response").GetString());
            tool.Hangup();
            Assert.Equal(RemoteSessionEnd.ToolClosed, await session.WaitAsync(TimeSpan.FromSeconds(20)));
        }
    }

    [Fact]
    public async Task Serve_InvalidLengthPrefix_BreaksSessionWithRemoteException()
    {
        using var dir = new TempDir();
        using var tool = new TestToolServer();
        var (session, connection) = StartClient(tool, dir, "x", new StringWriter());
        using (connection)
        {
            tool.Accept();
            tool.SendRaw([0xFF, 0xFF, 0xFF, 0xFF]);
            var e = await Assert.ThrowsAsync<RemoteException>(() => session.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Equal(RemoteError.InvalidLength, e.Error);
        }
    }

    [Fact]
    public async Task Cli_Remote_ServesToolAndReportsDisconnect()
    {
        using var dir = new TempDir();
        using var tool = new TestToolServer();
        var run = Task.Run(() => CliRun.Of("remote", "--tool", tool.Address, "--name", "cli-board", "--state", dir.File("se.json")));
        Assert.Equal("cli-board", tool.Accept());
        Assert.Equal("01", tool.Request(3, "01").GetProperty("response").GetString());
        tool.SendBody("{\"request\":2}");
        CliRun result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("REQ_ECHO", result.Output);
        Assert.Contains("REQ_DISCONNECT after 1 command(s)", result.Output);
    }

    [Fact]
    public void Cli_Remote_UnreachableTool_ExitsNoDeviceInPlainWords()
    {
        int port;
        using (var probe = new TestToolServer())
        {
            port = probe.Port;
        }

        using var dir = new TempDir();
        CliRun run = CliRun.Of("remote", "--tool", $"127.0.0.1:{port}", "--state", dir.File("se.json"));
        Assert.Equal(ExitCodes.NoDevice, run.ExitCode);
        Assert.Contains("cannot reach the test tool", run.Error);
    }

    [Theory]
    [InlineData("nohost")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    public void Cli_Remote_BadToolAddress_ExitsUsage(string address)
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("remote", "--tool", address, "--state", dir.File("se.json"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Fact]
    public void ToolAddress_Ipv6InBrackets_Parsed() =>
        Assert.Equal(new ToolAddress("::1", 5000), ToolAddress.Parse("[::1]:5000"));
}
