using NanoAgent.VirtualSe.Card;

namespace NanoAgent.VirtualSe.Tests;

public class EchoProcessorTests
{
    [Theory]
    [InlineData("00CA000003 010203", "0102039000")]
    [InlineData("00CA0000 000003 010203", "0102039000")]
    [InlineData("00CA000003", "0001029000")]
    [InlineData("00CA0000 000004", "000102039000")]
    [InlineData("00CA000002 01", "6700")]
    public void Process_EchoesDataOrCounts(string command, string expected)
    {
        var rsp = new byte[300];
        int n = new EchoProcessor().Process(Hex.Parse(command), rsp);
        Assert.Equal(expected, Hex.Of(rsp, 0, n));
    }
}
