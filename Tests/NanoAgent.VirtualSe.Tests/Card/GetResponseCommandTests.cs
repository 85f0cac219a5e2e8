using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;
using static NanoAgent.VirtualSe.Tests.Card.CardHarness;

namespace NanoAgent.VirtualSe.Tests.Card;

public class GetResponseCommandTests
{
    [Fact]
    public void ShortLe_Answers61xx_ThenGetResponseServesRest()
    {
        // ISO 7816-4 response chaining: a case 4 command with Ne below the answer gets Ne bytes and '61xx'.
        var card = new CardManager(CardState.CreateFresh());
        Assert.Equal(IsdFci[..10] + "610D", card.Send("00A4040008" + IsdAid + "05"));
        Assert.Equal(IsdFci[10..18] + "6109", card.Send("00C0000004"));
        Assert.Equal("6C09", card.Send("00C0000020")); // more than is left: exact count, data kept
        Assert.Equal(IsdFci[18..] + "9000", card.Send("00C0000009"));
        Assert.Equal("6985", card.Send("00C0000000")); // nothing pending
    }

    [Fact]
    public void LeZero_ServesEverythingLeft()
    {
        var card = new CardManager(CardState.CreateFresh());
        card.Send("00A4040008" + IsdAid + "01");
        Assert.Equal(IsdFci[2..] + "9000", card.Send("00C0000000"));
    }

    [Fact]
    public void PendingBytes_ArePerChannel_AndDroppedByNextCommand()
    {
        var card = new CardManager(CardState.CreateFresh());
        card.Send("0070000001");
        Assert.EndsWith("6110", card.Send("00A4040008" + IsdAid + "02"));
        Assert.Equal("6985", card.Send("01C0000000")); // channel 1 has nothing pending
        Assert.Equal(IsdFci[4..] + "9000", card.Send("00C0000000"));

        Assert.EndsWith("6110", card.Send("00A4040008" + IsdAid + "02"));
        card.Send("80CA004200"); // another command on channel 0
        Assert.Equal("6985", card.Send("00C0000000"));
    }

    [Fact]
    public void SmallResponseBuffer_ChainsThroughGetResponse()
    {
        var card = new CardManager(CardState.CreateFresh());
        Assert.Equal(IsdFci[..12] + "610C", card.Send("00A4040008" + IsdAid + "00", responseSize: 8));
        Assert.Equal(IsdFci[12..] + "9000", card.Send("00C0000000"));
    }

    [Theory]
    [InlineData("00C0010000", "6A86")]
    [InlineData("00C00000 01 00", "6700")]
    [InlineData("0CC0000000", "6882")]
    public void GetResponse_BadParameters(string apdu, string expected)
    {
        var card = new CardManager(CardState.CreateFresh());
        card.Send("00A4040008" + IsdAid + "05");
        Assert.Equal(expected, card.Send(apdu));
    }
}
