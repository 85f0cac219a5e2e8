using System.Text;
using System.Text.Json;
using NanoAgent.Drivers.Remote;

namespace NanoAgent.Drivers.Tests.Remote;

public class RemoteResponseWriterTests
{
    private static string Write(RemoteResponse response, int capacity = 4096)
    {
        var buffer = new byte[capacity + 10];
        int n = RemoteResponseWriter.Write(response, buffer, 10, capacity);
        return Encoding.ASCII.GetString(buffer, 10, n);
    }

    [Fact]
    public void Write_ColdResetAtr_MatchesReadmeExampleByteForByte()
    {
        // Source: README "Response message" examples, the successful cold reset response.
        var response = new RemoteResponse();
        byte[] atr = Hex.Parse("3B9F96803FC7828031E073F62157574A330581606100FA");
        response.SetHex(atr, 0, atr.Length);
        Assert.Equal(
            "{\"client_description\":\"OK\",\"err_card_code\":0,\"err_card_description\":\"OK\",\"err_client_code\":0,\"err_server_code\":0,"
            + "\"err_server_description\":\"OK\",\"err_terminal_code\":0,\"response\":\"3B 9F 96 80 3F C7 82 80 31 E0 73 F6 21 57 57 4A 33 05 81 60 61 00 FA\","
            + "\"terminal_description\":\"OK\"}",
            Write(response));
    }

    [Fact]
    public void Write_LayerFailures_CarryCodesAndKo()
    {
        var response = new RemoteResponse();
        response.SetHex([0x90, 0x00], 0, 2);
        response.FailTerminal(RemoteErrorCode.InvalidTerminal, "no ACK");
        response.FailCard(RemoteErrorCode.InvalidState, "mute");
        using var doc = JsonDocument.Parse(Write(response));
        JsonElement root = doc.RootElement;
        Assert.Equal("KO", root.GetProperty("response").GetString());
        Assert.Equal(-7, root.GetProperty("err_terminal_code").GetInt32());
        Assert.Equal("no ACK", root.GetProperty("terminal_description").GetString());
        Assert.Equal(-4, root.GetProperty("err_card_code").GetInt32());
        Assert.Equal(0, root.GetProperty("err_client_code").GetInt32());
        Assert.Equal(0, root.GetProperty("err_server_code").GetInt32());
    }

    [Fact]
    public void Write_TextWithQuotesAndNonAscii_EscapedAsAsciiJson()
    {
        var response = new RemoteResponse();
        response.SetText("a \"b\" \\ c\n\u00e9");
        string json = Write(response);
        Assert.All(json, c => Assert.True(c < 0x7F));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("a \"b\" \\ c\n\u00e9", doc.RootElement.GetProperty("response").GetString());
    }

    [Fact]
    public void Write_NoRoom_ThrowsResponseTooLarge()
    {
        var response = new RemoteResponse();
        response.SetHex(new byte[100], 0, 100);
        var e = Assert.Throws<RemoteException>(() => Write(response, 200));
        Assert.Equal(RemoteError.ResponseTooLarge, e.Error);
    }

    [Fact]
    public void Header_RoundTrip_BigEndian()
    {
        var buffer = new byte[5];
        RemoteFraming.WriteHeader(buffer, 1, 0x01020304);
        Assert.Equal("0001020304", Hex.Of(buffer));
        Assert.Equal(0x01020304, RemoteFraming.ReadHeader(buffer, 1));
        Assert.True(RemoteFraming.ReadHeader([0x80, 0, 0, 0], 0) < 0);
    }
}
