using System.Net;
using System.Net.Sockets;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.Host.Se;
using NanoAgent.Host.Serve;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.T1.Se05x;

namespace NanoAgent.Host.Tests.Serve;

// The vpcd side written from vsmartcard's vpcd.c/vpcd.h (2-byte big-endian length; 1-byte controls 0 off, 1 on, 2 reset,
// 4 ATR; longer messages are APDUs), here a plain TCP listener, so each message and the SE operation it maps to can be checked.
public sealed class VpcdLinkTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TcpListener _vpcd = new(IPAddress.Loopback, 0);
    private readonly SeConnection _connection;
    private readonly StringWriter _log = new();
    private readonly VpcdLink _link;
    private readonly Socket _card;

    public VpcdLinkTests()
    {
        _vpcd.Start();
        _connection = SeConnection.Create(new SeTarget { StatePath = _dir.File("se.json") });
        _connection.Transport.Open();
        _link = new VpcdLink(new ServedSe(_connection), new ServeAddress("127.0.0.1", ((IPEndPoint)_vpcd.LocalEndpoint).Port), new ServeLog(TextWriter.Synchronized(_log)));
        _link.Start();
        _card = _vpcd.AcceptSocket();
        _card.ReceiveTimeout = 10_000;
    }

    private Se05xT1Responder Responder => (Se05xT1Responder)_connection.Virtual!.Responder;

    public void Dispose()
    {
        _link.Stop();
        _card.Dispose();
        _vpcd.Stop();
        _connection.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void AtrRequest_IsAnsweredWithTheIsoAtr_WithoutTouchingTheSe()
    {
        int frames = _connection.Virtual!.Target.FramesWritten;
        Send("0001 04");
        Assert.Equal("3B8A014A434F5034204154504F83", Receive());
        Assert.Equal(frames, _connection.Virtual.Target.FramesWritten);
    }

    [Fact]
    public void PowerOnResetPowerOff_AreTheSesOwnOperations_WithNoAnswer()
    {
        int softResets = Responder.HostRequests[(int)Se05xSBlockType.InterfaceSoftReset];
        int resynchs = Responder.HostRequests[(int)Se05xSBlockType.Resynch];
        int ends = Responder.HostRequests[(int)Se05xSBlockType.EndOfApduSession];
        Send("0001 02"); // reset: S(INTERFACE SOFT RESET)
        Send("0001 00"); // power off: S(END OF APDU SESSION)
        Send("0001 01"); // power on: activation again
        Send("0001 04");
        Assert.Equal("3B8A014A434F5034204154504F83", Receive()); // the first answer is the ATR: the controls had none
        int softResetsAfter = Responder.HostRequests[(int)Se05xSBlockType.InterfaceSoftReset];
        int resynchsAfter = Responder.HostRequests[(int)Se05xSBlockType.Resynch];
        Assert.True(softResetsAfter > softResets, "reset is the interface soft reset");
        Assert.Equal(ends + 1, Responder.HostRequests[(int)Se05xSBlockType.EndOfApduSession]);
        Assert.True(softResetsAfter + resynchsAfter >= softResets + resynchs + 2, "power on activates the link again");
    }

    [Fact]
    public void Apdu_GoesToTheSeRaw()
    {
        Send("0005 00A4040000");
        Assert.EndsWith("9000", Receive());
    }

    [Fact]
    public void UnknownControlAndEmptyMessage_AreLoggedAndIgnored_AndTheNextRequestWorks()
    {
        Send("0001 07");
        Send("0000"); // no size
        Send("0001 04");
        Assert.Equal("3B8A014A434F5034204154504F83", Receive());
        Assert.Contains("unknown control byte 07: ignored", _log.ToString());
    }

    [Fact]
    public void SeFailing_DropsTheCardWithAnEmptyAnswer()
    {
        _connection.Virtual!.Target.Faults.Absent = true;
        Send("0005 00A4040000");
        Assert.Equal(string.Empty, Receive());
        Assert.Contains("the card is dropped", _log.ToString());
    }

    private void Send(string hex) => _card.Send(Convert.FromHexString(hex.Replace(" ", string.Empty)));

    private string Receive()
    {
        byte[] length = ReceiveExactly(2);
        return Convert.ToHexString(ReceiveExactly((length[0] << 8) | length[1]));
    }

    private byte[] ReceiveExactly(int count)
    {
        var buffer = new byte[count];
        for (int done = 0; done < count;)
        {
            int n = _card.Receive(buffer, done, count - done, SocketFlags.None);
            Assert.True(n > 0, "the card side closed the connection");
            done += n;
        }

        return buffer;
    }
}
