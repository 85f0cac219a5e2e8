using System.Text;
using CsCheck;
using NanoAgent.Drivers.Remote;

namespace NanoAgent.Drivers.Tests.Remote;

public class RemoteCommandParserTests
{
    private static (RemoteErrorCode Code, RemoteCommand Command) Parse(string json, int maxData = 300)
    {
        byte[] body = Encoding.ASCII.GetBytes(json);
        var command = new RemoteCommand(maxData);
        return (RemoteCommandParser.Parse(body, 0, body.Length, command), command);
    }

    [Fact]
    public void Parse_ReadmeColdResetExample_ReadsRequestAndTimeout()
    {
        // Source: SE_Abstract_Communication_Layer_Over_TCP_IP README, "Command Message" examples.
        var (code, command) = Parse("{\"data\":\"\",\"request\":10,\"timeout\":30000}");
        Assert.Equal(RemoteErrorCode.Success, code);
        Assert.Equal((int)RemoteRequestType.ColdReset, command.Request);
        Assert.Equal(30000, command.TimeoutMs);
        Assert.Equal(0, command.DataCount);
        Assert.True(command.DataIsHex);
    }

    [Fact]
    public void Parse_ReadmeSelectMfExample_DecodesApdu()
    {
        // Source: README "Command Message" examples (SELECT MF, timeout 5 s).
        var (code, command) = Parse("{\"data\":\"00A40004023F00\",\"request\":6,\"timeout\":5000}");
        Assert.Equal(RemoteErrorCode.Success, code);
        Assert.Equal(6, command.Request);
        Assert.Equal(5000, command.TimeoutMs);
        Assert.Equal("00A40004023F00", Hex.Of(command.Data, 0, command.DataCount));
    }

    [Fact]
    public void Parse_SpacedLowerCaseHexAndUnknownMembers_Accepted()
    {
        var (code, command) = Parse(" {\"x\":[1,{\"y\":null},true,-2.5e3],\"request\" : 6 ,\"data\":\"00 a4 04 00\"}\r\n");
        Assert.Equal(RemoteErrorCode.Success, code);
        Assert.Equal("00A40400", Hex.Of(command.Data, 0, command.DataCount));
        Assert.Equal(0, command.TimeoutMs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("{\"request\":6,}")]
    [InlineData("{\"request\":\"6\"}")]
    [InlineData("{\"request\":-1}")]
    [InlineData("{\"request\":6.5}")]
    [InlineData("{\"request\":99999999999}")]
    [InlineData("{\"data\":\"00\"}")]
    [InlineData("{\"request\":6,\"timeout\":\"5\"}")]
    [InlineData("{\"request\":6} x")]
    [InlineData("{\"request\":6,\"data\":\"0\u0001\"}")]
    public void Parse_NotACommandObject_ReturnsJsonParsing(string json) =>
        Assert.Equal(RemoteErrorCode.JsonParsing, Parse(json).Code);

    [Fact]
    public void Parse_DataNotAString_ReturnsInvalidRequest() =>
        Assert.Equal(RemoteErrorCode.InvalidRequest, Parse("{\"request\":6,\"data\":12}").Code);

    [Theory]
    [InlineData("0")]
    [InlineData("0G")]
    [InlineData("0 0")]
    [InlineData("\\u0030\\u0030")]
    public void Parse_DataNotHex_FlagsIt(string data)
    {
        var (code, command) = Parse("{\"request\":3,\"data\":\"" + data + "\"}");
        Assert.Equal(RemoteErrorCode.Success, code);
        Assert.False(command.DataIsHex);
        Assert.Equal(data, Encoding.ASCII.GetString(Encoding.ASCII.GetBytes("{\"request\":3,\"data\":\"" + data + "\"}"), command.RawDataOffset, command.RawDataCount));
    }

    [Fact]
    public void Parse_DataLongerThanBuffer_FlagsNotHex() =>
        Assert.False(Parse("{\"request\":6,\"data\":\"00112233\"}", maxData: 3).Command.DataIsHex);

    [Fact]
    public void Parse_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var command = new RemoteCommand(64);
            RemoteErrorCode code = RemoteCommandParser.Parse(bytes, 0, bytes.Length, command);
            Assert.True(code is RemoteErrorCode.Success or RemoteErrorCode.JsonParsing or RemoteErrorCode.InvalidRequest);
        }, iter: 2000);
    }

    [Fact]
    public void Parse_RandomJsonishText_NeverThrows()
    {
        Gen.Char['\0', '\x7f'].Array[0, 120].Select(c => "{\"request\":6,\"data\":\"" + new string(c)).Sample(text =>
        {
            var command = new RemoteCommand(64);
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            RemoteCommandParser.Parse(bytes, 0, bytes.Length, command);
        }, iter: 2000);
    }

    [Fact]
    public void Parse_GeneratedCommands_RoundTrip()
    {
        Gen.Select(Gen.Int[0, 13], Gen.Int[0, int.MaxValue], Gen.Byte.Array[0, 300]).Sample((request, timeout, data) =>
        {
            var command = new RemoteCommand(300);
            string json = $"{{\"timeout\":{timeout},\"data\":\"{Convert.ToHexString(data)}\",\"request\":{request}}}";
            byte[] bytes = Encoding.ASCII.GetBytes(json);
            Assert.Equal(RemoteErrorCode.Success, RemoteCommandParser.Parse(bytes, 0, bytes.Length, command));
            Assert.Equal(request, command.Request);
            Assert.Equal(timeout, command.TimeoutMs);
            Assert.Equal(Convert.ToHexString(data), Hex.Of(command.Data, 0, command.DataCount));
        }, iter: 500);
    }
}
