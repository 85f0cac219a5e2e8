using System.Net.Sockets;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Serve;

// The framing is NXP plug-and-trust's JRCP v1: accessManager.h "General Message Format" [MTY][NAD][LNH][LNL][data], message
// types from the same file; the client's connect sequence (WAIT_FOR_CARD with a 4-byte wait, then APDU_DATA) from
// libCommon/smCom/smComSocket_fd.c.
public sealed class JrcpServeTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ServeProcess _serve;
    private readonly int _port;

    public JrcpServeTests()
    {
        _serve = ServeProcess.Start("--state", _dir.File("se.json"), "--jrcp", "0");
        try
        {
            _port = _serve.JrcpPort();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _serve.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void SeProbe_ThroughJrcp_Passes()
    {
        CliRun run = CliRun.Of("se", "probe", "--via", $"jrcp:127.0.0.1:{_port}");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("selected", run.Output);
        Assert.Contains("Result: PASS", run.Output);
    }

    [Fact]
    public void GpListAndScp03_ThroughJrcp_OpenTheirSecureChannelOnTheLentSe()
    {
        CliRun list = CliRun.Of("gp", "list", "--via", $"jrcp:127.0.0.1:{_port}", "--keys", "default");
        Assert.Equal(ExitCodes.Ok, list.ExitCode);
        Assert.Matches("(?m)^A000000151000000 +ISD ", list.Output);

        CliRun scp03 = CliRun.Of("scp03", "open", "--via", $"jrcp:127.0.0.1:{_port}", "--keys", "default", "--apdu", "80CA006600");
        Assert.Equal(ExitCodes.Ok, scp03.ExitCode);
    }

    [Fact]
    public void NxpClientSequence_AtrThenSelectOfTheIsd()
    {
        using var client = Connect();
        Send(client, "00 00 00 04 00000100");
        string atr = Receive(client);
        Assert.StartsWith("000000", atr);
        Assert.Contains("4A434F5034204154504F", atr); // the virtual SE05x's historical bytes, "JCOP4 ATPO"
        Send(client, "01 00 00 05 00A4040000");
        Assert.EndsWith("9000", Receive(client));
        Send(client, "03 00 00 00");
        Assert.Equal("030000029000", Receive(client));
    }

    [Fact]
    public void BadClients_EachGetAnErrorOrAClose_OneLogLine_AndTheNextClientWorks()
    {
        // Drops mid-message: the server logs it and ends that session.
        using (var dropper = Connect())
        {
            Send(dropper, "01 00 00 05 00A4");
        }

        _serve.WaitFor("went away in the middle of a message (6 of 9 bytes, type 0x01)");

        // Oversized: the payload is read and dropped, the APDU answered 67 00, the session goes on.
        using var client = Connect();
        Send(client, "01 00 08 00" + new string('0', 2 * 0x800));
        Assert.Equal("010000026700", Receive(client));
        _serve.WaitFor("announced 2048 bytes, over the limit of 2044: dropped");

        // Unknown type: an error message (type 03 with text), one log line.
        Send(client, "66 00 00 00");
        Assert.StartsWith("0300", Receive(client));
        _serve.WaitFor("message type 0x66 is not served");

        Send(client, "01 00 00 05 00A4040000");
        Assert.EndsWith("9000", Receive(client));
        Assert.Single(_serve.Output.Split('\n'), l => l.Contains("went away in the middle"));
        Assert.Single(_serve.Output.Split('\n'), l => l.Contains("is not served"));

        CliRun probe = CliRun.Of("se", "probe", "--via", $"jrcp:127.0.0.1:{_port}");
        Assert.Equal(ExitCodes.Ok, probe.ExitCode);
    }

    private Socket Connect()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        socket.Connect("127.0.0.1", _port);
        return socket;
    }

    private static void Send(Socket socket, string hex) => socket.Send(Hex.Parse(hex));

    private static string Receive(Socket socket)
    {
        byte[] header = ReceiveExactly(socket, 4);
        byte[] payload = ReceiveExactly(socket, (header[2] << 8) | header[3]);
        return Hex.Of([.. header, .. payload]);
    }

    private static byte[] ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        int done = 0;
        while (done < count)
        {
            int n = socket.Receive(buffer, done, count - done, SocketFlags.None);
            Assert.True(n > 0, "the server closed the connection");
            done += n;
        }

        return buffer;
    }
}
