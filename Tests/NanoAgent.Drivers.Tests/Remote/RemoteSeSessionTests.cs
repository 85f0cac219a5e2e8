using System.Text.Json;
using CsCheck;
using NanoAgent.Drivers.Remote;
using NanoAgent.Drivers.T1;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Drivers.Tests.Remote;

public class RemoteSeSessionTests
{
    private readonly VirtualClock _clock = new();

    private (RemoteSeSession Session, ScriptedStream Stream, FakeRemoteSe Se) Start(byte[] input)
    {
        var stream = new ScriptedStream(input);
        var se = new FakeRemoteSe(_clock);
        return (new RemoteSeSession(stream, se, _clock, 261, null), stream, se);
    }

    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;

    [Fact]
    public void SendName_FramesAsciiName()
    {
        var (session, stream, _) = Start([]);
        session.SendName("lab-board é");
        Assert.Equal("0000000B" + Convert.ToHexString("lab-board ?"u8.ToArray()), Hex.Of(stream.Written.ToArray()));
    }

    [Fact]
    public void Run_EveryRequestThenDisconnect_AnswersEachAndEndsWithoutResponse()
    {
        var (session, stream, se) = Start(ScriptedStream.Frames(
            "{\"data\":\"\",\"request\":10,\"timeout\":30000}",
            "{\"data\":\"\",\"request\":11,\"timeout\":30000}",
            "{\"data\":\"00A40004023F00\",\"request\":6,\"timeout\":5000}",
            "{\"data\":\"0102 03\",\"request\":3,\"timeout\":5000}",
            "{\"request\":1,\"timeout\":5000}",
            "{\"data\":\"\",\"request\":2,\"timeout\":5000}",
            "{\"data\":\"\",\"request\":3,\"timeout\":5000}"));
        Assert.Equal(RemoteSessionEnd.Disconnected, session.Run());
        List<string> bodies = stream.WrittenBodies();
        Assert.Equal(5, bodies.Count);
        Assert.Equal(5, session.RequestsServed);
        Assert.Equal(Convert.ToHexString(FakeRemoteSe.Atr), Json(bodies[0]).GetProperty("response").GetString()!.Replace(" ", ""));
        Assert.Equal(Convert.ToHexString(FakeRemoteSe.Atr), Json(bodies[1]).GetProperty("response").GetString()!.Replace(" ", ""));
        Assert.Equal((1, 1), (se.ColdResets, se.WarmResets));
        Assert.Equal("00 3F 02 04 00 A4 00 90 00", Json(bodies[2]).GetProperty("response").GetString());
        Assert.Equal("0102 03", Json(bodies[3]).GetProperty("response").GetString());
        Assert.Equal("fake SE \"one\" \\ two", Json(bodies[4]).GetProperty("response").GetString());
        Assert.All(bodies, b => Assert.Equal(0, Json(b).GetProperty("err_client_code").GetInt32()));
    }

    [Theory]
    [InlineData("not json", -6)]
    [InlineData("{\"data\":\"\",\"timeout\":5}", -6)]
    [InlineData("{\"request\":42}", -5)]
    [InlineData("{\"request\":7,\"data\":\"00\"}", -5)]
    [InlineData("{\"request\":0}", -5)]
    [InlineData("{\"request\":6,\"data\":\"0\"}", -5)]
    [InlineData("{\"request\":6,\"data\":\"\"}", -5)]
    [InlineData("{\"request\":6,\"data\":true}", -5)]
    public void ServeOne_BadCommand_AnswersClientErrorAndGoesOn(string body, int code)
    {
        var (session, stream, se) = Start(ScriptedStream.Frames(body, "{\"request\":6,\"data\":\"0102\"}"));
        Assert.Equal(RemoteSessionEnd.ToolClosed, session.Run());
        List<string> bodies = stream.WrittenBodies();
        Assert.Equal(code, Json(bodies[0]).GetProperty("err_client_code").GetInt32());
        Assert.Equal("KO", Json(bodies[0]).GetProperty("response").GetString());
        Assert.Equal("02 01 90 00", Json(bodies[1]).GetProperty("response").GetString());
        Assert.Single(se.Commands);
    }

    [Fact]
    public void ServeOne_OversizedMessage_DrainedAndRefused()
    {
        var (session, stream, _) = Start(ScriptedStream.Frames(new string(' ', 5000), "{\"request\":3,\"data\":\"AA\"}"));
        session.Run();
        List<string> bodies = stream.WrittenBodies();
        Assert.Equal(-5, Json(bodies[0]).GetProperty("err_client_code").GetInt32());
        Assert.Equal("AA", Json(bodies[1]).GetProperty("response").GetString());
    }

    [Theory]
    [InlineData(BlockProtocolError.Timeout, "err_terminal_code", -1)]
    [InlineData(BlockProtocolError.NoDevice, "err_terminal_code", -7)]
    [InlineData(BlockProtocolError.RetriesExhausted, "err_terminal_code", -4)]
    [InlineData(BlockProtocolError.CommandTooLarge, "err_client_code", -5)]
    public void ServeOne_LinkFailure_ReportedOnItsLayer(BlockProtocolError error, string member, int code)
    {
        var (session, stream, se) = Start(ScriptedStream.Frames("{\"request\":10}"));
        se.Failure = error;
        session.Run();
        JsonElement root = Json(stream.WrittenBodies()[0]);
        Assert.Equal(code, root.GetProperty(member).GetInt32());
        Assert.Equal("KO", root.GetProperty("response").GetString());
    }

    [Fact]
    public void ServeOne_SlowerThanTimeout_AnswersClientTimeout()
    {
        var (session, stream, se) = Start(ScriptedStream.Frames("{\"request\":6,\"data\":\"00\",\"timeout\":100}", "{\"request\":6,\"data\":\"00\",\"timeout\":300}"));
        se.DelayMs = 250;
        session.Run();
        List<string> bodies = stream.WrittenBodies();
        Assert.Equal(-1, Json(bodies[0]).GetProperty("err_client_code").GetInt32());
        Assert.Equal("00 90 00", Json(bodies[1]).GetProperty("response").GetString());
    }

    [Theory]
    [InlineData("0000")]
    [InlineData("0000000A7B7D")]
    [InlineData("80000000")]
    public void ServeOne_BrokenStream_Throws(string hex)
    {
        var (session, _, _) = Start(Hex.Parse(hex));
        var e = Assert.Throws<RemoteException>(() => session.Run());
        Assert.True(e.Error is RemoteError.Truncated or RemoteError.InvalidLength);
    }

    [Fact]
    public void Run_RandomStreams_EndOrThrowRemoteExceptionOnly()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var (session, _, _) = Start(bytes);
            try
            {
                session.Run();
            }
            catch (RemoteException)
            {
            }
        }, iter: 2000);
    }

    [Fact]
    public void Run_RandomBodiesInValidFrames_AlwaysAnswerUntilClosed()
    {
        Gen.String.Array[1, 5].Sample(bodies =>
        {
            var (session, stream, _) = Start(ScriptedStream.Frames(bodies.Select(b => new string(b.Where(c => c < 0x7F).ToArray())).ToArray()));
            RemoteSessionEnd end = session.Run();
            Assert.True(end is RemoteSessionEnd.ToolClosed or RemoteSessionEnd.Disconnected);
            Assert.All(stream.WrittenBodies(), b => Json(b));
        }, iter: 500);
    }
}
