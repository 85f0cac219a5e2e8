using CsCheck;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Drivers.Tests.Jrcp;

// Message types and answers as NXP's plug-and-trust sources define them: accessManager.h (layout, LOCK/UNLOCK),
// accessManager.c (server answers), smComSocket_fd.c (what the client sends), vcom2i2c.c (the board's answers).
public sealed class JrcpSessionTests : IDisposable
{
    private readonly PipeChannel _client;
    private readonly PipeChannel _server;
    private readonly FakeLentSe _se = new();
    private readonly ListObserver _log = new();
    private readonly SeAccessLock _lock = new(SystemClock.Instance);
    private JrcpSession? _session;
    private Background<JrcpSessionEnd>? _run;

    public JrcpSessionTests()
    {
        (_client, _server) = PipeChannel.Pair();
    }

    private JrcpServerOptions Options { get; } = new() { LockWaitMs = 300, FrameTimeoutMs = 300, PollMs = 20 };

    public void Dispose()
    {
        _session?.Stop();
        _run?.Wait(5000);
    }

    [Fact]
    public void WaitForCard_AsTheNxpClientSendsIt_IsAnsweredWithTheAtr()
    {
        Start();
        _client.Send("00 00 00 04 00000100"); // smComSocket_fd.c GetATRFD: wait 256 ms
        Assert.Equal("000000" + Convert.ToHexString([(byte)FakeLentSe.Atr.Length]) + Hex.Of(FakeLentSe.Atr), _client.ReceiveMessage());
    }

    [Fact]
    public void ApduData_GoesToTheSeAsItIs_AndTheResponseComesBack()
    {
        Start();
        _client.Send("01 00 00 05 00A4040000");
        Assert.Equal("0100000700A40400009000", _client.ReceiveMessage());
        Assert.Equal(["00A4040000"], _se.Seen);
    }

    [Fact]
    public void LockUnlockTerminalAndDebugInfo_GetTheirEmptyAnswers()
    {
        Start();
        _client.Send("30000000 31000000 04000000 07000000 41000001 00");
        Assert.Equal("30000000", _client.ReceiveMessage());
        Assert.Equal("31000000", _client.ReceiveMessage());
        Assert.Equal("04000000", _client.ReceiveMessage());
        Assert.Equal("07000000", _client.ReceiveMessage());
        Assert.Equal("41000000", _client.ReceiveMessage()); // accessManager.h: GET_UINT32 failure
    }

    [Fact]
    public void Close_OnAConnection_IsAnsweredAndEndsTheSession()
    {
        Start();
        _client.Send("03000000");
        Assert.Equal("030000029000", _client.ReceiveMessage());
        Assert.True(_run!.Wait(5000));
        Assert.Equal(JrcpSessionEnd.ClientClosed, _run.Result);
    }

    [Fact]
    public void Close_OnASerialLink_IsAnswered_AndTheNextClientIsServed()
    {
        Options.CloseEndsSession = false;
        Start();
        _client.Send("03000000");
        Assert.Equal("030000029000", _client.ReceiveMessage());
        _client.Send("01 00 00 04 80CA9F7F");
        Assert.Equal("0100000680CA9F7F9000", _client.ReceiveMessage());
    }

    [Theory]
    [InlineData("02000000", "02")]
    [InlineData("05000001 AA", "05")]
    [InlineData("50000000", "50")]
    [InlineData("7F000003 010203", "7F")]
    public void UnservedType_GetsAnErrorMessage_OneLogLine_AndTheSessionGoesOn(string message, string type)
    {
        Start();
        _client.Send(message);
        string answer = _client.ReceiveMessage();
        Assert.StartsWith("0300", answer);
        Assert.Contains("message type 0x" + type + " is not served", System.Text.Encoding.ASCII.GetString(Hex.Parse(answer[8..])));
        Assert.Single(_log.Lines);

        _client.Send("01 00 00 04 80CA9F7F");
        Assert.Equal("0100000680CA9F7F9000", _client.ReceiveMessage());
    }

    [Fact]
    public void OversizedApdu_IsDropped_Answered6700_TheSeSeesNothing_AndTheNextApduWorks()
    {
        Options.MaxPayload = 16;
        Start();
        _client.Send("01 00 00 20" + new string('A', 64));
        Assert.Equal("010000026700", _client.ReceiveMessage());
        Assert.Empty(_se.Seen);
        Assert.Single(_log.Lines, l => l.Contains("announced 32 bytes, over the limit of 16"));

        _client.Send("01 00 00 04 80CA9F7F");
        Assert.Equal("0100000680CA9F7F9000", _client.ReceiveMessage());
    }

    [Fact]
    public void OversizedOtherMessage_GetsAnErrorMessage()
    {
        Options.MaxPayload = 16;
        Start();
        _client.Send("00 00 FF FF" + new string('0', 2 * 0xFFFF));
        Assert.StartsWith("0300", _client.ReceiveMessage());
        Assert.Single(_log.Lines);
    }

    [Fact]
    public void ClientDropsMidMessage_EndsTheSession_OneLogLine_TheSeUntouched_AndTheLockFree()
    {
        Start();
        _client.Send("01 00 00 05 00A4");
        Thread.Sleep(50);
        _client.Close();

        Assert.True(_run!.Wait(5000));
        Assert.Equal(JrcpSessionEnd.LinkClosed, _run.Result);
        Assert.Single(_log.Lines, l => l.Contains("went away in the middle of a message (6 of 9 bytes, type 0x01)"));
        Assert.Empty(_se.Seen);
        Assert.Null(_lock.Owner);
    }

    [Fact]
    public void SilenceMidMessage_DropsThePart_AndTheNextWholeMessageIsServed()
    {
        Start();
        _client.Send("01 00 00 05 00A4");
        Thread.Sleep(800); // longer than FrameTimeoutMs (300): the part is dropped
        _client.Send("01 00 00 04 80CA9F7F");
        Assert.Equal("0100000680CA9F7F9000", _client.ReceiveMessage());
        Assert.Single(_log.Lines, l => l.Contains("in the middle of a message (6 of 9 bytes"));
        Assert.Equal(["80CA9F7F"], _se.Seen);
    }

    [Fact]
    public void SeUnreachable_ApduGets7003_AndWaitForCardAnEmptyAtr()
    {
        _se.Unreachable = true;
        Start();
        _client.Send("01 00 00 04 80CA9F7F");
        Assert.Equal("010000027003", _client.ReceiveMessage());
        _client.Send("00 00 00 04 00000100");
        Assert.Equal("00000000", _client.ReceiveMessage());
        Assert.Equal(2, _log.Lines.Length);
    }

    [Fact]
    public void SeHeldByAnotherUser_ApduWaitsThenGets7003_AndLockIsRefused()
    {
        object relay = new();
        Assert.True(_lock.TryEnter(relay, 0));
        Start();
        _client.Send("01 00 00 04 80CA9F7F");
        Assert.Equal("010000027003", _client.ReceiveMessage());
        _client.Send("30000000");
        Assert.Equal("3000000101", _client.ReceiveMessage()); // accessManager.h: failure, length 1, a cause byte
        Assert.Empty(_se.Seen);

        _lock.Exit(relay);
        _client.Send("01 00 00 04 80CA9F7F");
        Assert.Equal("0100000680CA9F7F9000", _client.ReceiveMessage());
    }

    [Fact]
    public void Lock_KeepsOtherUsersOut_UntilUnlock()
    {
        object relay = new();
        Start();
        _client.Send("30000000");
        Assert.Equal("30000000", _client.ReceiveMessage());
        Assert.False(_lock.TryEnter(relay, 100));
        _client.Send("01 00 00 04 80CA9F7F");
        Assert.Equal("0100000680CA9F7F9000", _client.ReceiveMessage());
        Assert.False(_lock.TryEnter(relay, 100));

        _client.Send("31000000");
        Assert.Equal("31000000", _client.ReceiveMessage());
        Assert.True(_lock.TryEnter(relay, 1000));
        _lock.Exit(relay);
    }

    [Fact]
    public void Lock_IdleTooLong_IsReleasedWithALogLine()
    {
        Options.LockIdleMs = 200;
        Start();
        _client.Send("30000000");
        Assert.Equal("30000000", _client.ReceiveMessage());

        Assert.True(_lock.TryEnter(new object(), 3000));
        Assert.Single(_log.Lines, l => l.StartsWith("LOCK released: no message came for", StringComparison.Ordinal));
    }

    [Fact]
    public void Lock_ReleasedForIdleness_TheLineIsWrittenBeforeTheSeIsFree()
    {
        // Whoever takes the SE next finds the release already logged; written after the lock was given back, the line
        // could come after the next client's (and the test above could read the log before it).
        bool? heldAtTheLine = null;
        _log.OnEvent = line =>
        {
            if (line.StartsWith("LOCK released", StringComparison.Ordinal))
            {
                heldAtTheLine = _lock.Owner != null;
            }
        };
        Options.LockIdleMs = 200;
        Start();
        _client.Send("30000000");
        Assert.Equal("30000000", _client.ReceiveMessage());

        Assert.True(_lock.TryEnter(new object(), 3000));
        Assert.True(heldAtTheLine);
    }

    [Fact]
    public void Lock_HeldLongerThanTheMost_IsReleasedEvenWithTraffic()
    {
        Options.LockMaxMs = 400;
        Start();
        _client.Send("30000000");
        Assert.Equal("30000000", _client.ReceiveMessage());
        object relay = new();
        var got = new Background<bool>(() => _lock.TryEnter(relay, 5000));
        while (!got.IsCompleted)
        {
            _client.Send("04000000");
            _client.ReceiveMessage();
            Thread.Sleep(50);
        }

        Assert.True(got.Result);
        Assert.Single(_log.Lines, l => l.Contains("the most is 400"));
        _lock.Exit(relay);
    }

    [Fact]
    public void SessionEnd_ReleasesAHeldLock()
    {
        Start();
        _client.Send("30000000");
        Assert.Equal("30000000", _client.ReceiveMessage());
        _client.Close();
        Assert.True(_run!.Wait(5000));
        Assert.Null(_lock.Owner);
    }

    [Fact]
    public void Property_AnyBytesThenClose_NeverThrow_AndLeaveTheLockFree()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            var (client, server) = PipeChannel.Pair();
            var seLock = new SeAccessLock(SystemClock.Instance);
            var session = new JrcpSession(server, new FakeLentSe(), seLock, SystemClock.Instance,
                new JrcpServerOptions { MaxPayload = 64, LockWaitMs = 50, PollMs = 5 }, null);
            client.Write(bytes, 0, bytes.Length);
            client.Close();
            Assert.Equal(JrcpSessionEnd.LinkClosed, session.Run());
            Assert.Null(seLock.Owner);
        }, iter: 200);
    }

    private void Start()
    {
        _session = new JrcpSession(_server, _se, _lock, SystemClock.Instance, Options, _log);
        _run = new Background<JrcpSessionEnd>(_session.Run);
    }
}
