using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Tests.Card;

public class GetDataCommandTests
{
    /// <summary>The fresh card's CPLC (sample values of CardState.CreateFresh, layout GPC v2.3.1 §H.6).</summary>
    private const string FreshCplc =
        "4E41" + "5345" + "4E56" + "6001" + "0100" + "6001" + "00000001" + "0001" + "000000000000000000000000000000000000000000000000";

    /// <summary>GPC v2.3.1 §H.2 card recognition data: GP 2.3.1, SCP03 i = '70'.</summary>
    private const string CardData =
        "6631732F06072A864886FC6B01600C060A2A864886FC6B020203016309" + "06072A864886FC6B03640B06092A864886FC6B040370";

    [Theory]
    [InlineData("80CA9F7F00", "9F7F2A" + FreshCplc + "9000")]
    [InlineData("00CA9F7F00", "9F7F2A" + FreshCplc + "9000")] // ISO class is accepted too
    [InlineData("80CA9F7F", "9F7F2A" + FreshCplc + "9000")] // Le absent: answered as Le = 00
    [InlineData("80CA006600", CardData + "9000")]
    [InlineData("80CA004200", "42046E616E6F9000")]
    [InlineData("80CA004500", "4508" + "4E41534500000001" + "9000")]
    [InlineData("80CA00E000", "E012C00401FF8810C00402FF8810C00403FF88109000")] // GPC §11.3.3.1: the initial key set FF, keys 1-3, AES-128
    [InlineData("80CB004200", "42046E616E6F9000")]
    [InlineData("80CA00CF00", "6A88")]
    [InlineData("80CA9F7E00", "6A88")]
    public void GetData_Tags_ReturnWholeTlv(string apdu, string expected)
    {
        Assert.Equal(expected, new CardManager(CardState.CreateFresh()).Send(apdu));
    }

    [Fact]
    public void GetData_CardDataLength_MatchesStructure()
    {
        byte[] data = Hex.Parse(CardData);
        Assert.Equal(data.Length - 2, data[1]);
        Assert.Equal(data.Length - 4, data[3]);
    }

    [Fact]
    public void GetData_LeTooShort_Answers6CWithExactLengthThenServes()
    {
        // ISO 7816-4 status bytes: '6Cxx' gives the exact length; the repeated command with Le = xx gets the data.
        var card = new CardManager(CardState.CreateFresh());
        Assert.Equal("6C2D", card.Send("80CA9F7F10"));
        Assert.Equal("9F7F2A" + FreshCplc + "9000", card.Send("80CA9F7F2D"));
    }

    [Fact]
    public void GetData_LeLongerThanData_ReturnsWhatThereIs()
    {
        Assert.Equal("42046E616E6F9000", new CardManager(CardState.CreateFresh()).Send("80CA004240"));
    }

    [Fact]
    public void GetData_WithDataField_Answers6700()
    {
        Assert.Equal("6700", new CardManager(CardState.CreateFresh()).Send("80CA00420101"));
    }

    [Fact]
    public void GetData_OnApplicationWithoutApplet_Answers6D00()
    {
        var card = new CardManager(CardState.CreateFresh());
        card.Send("00A4040008" + CardHarness.AppAid + "00");
        Assert.Equal("6D00", card.Send("80CA004200"));
    }

    [Fact]
    public void GetData_TerminatedCard_StillAnswers()
    {
        // GPC §5.1.1.5: a TERMINATED card answers GET DATA only.
        CardState state = CardState.CreateFresh();
        state.LifeCycle = CardLifeCycle.Terminated;
        var card = new CardManager(state);
        Assert.Equal("42046E616E6F9000", card.Send("80CA004200"));
        Assert.Equal("6985", card.Send("80F28002024F0000"));
        Assert.Equal("6A82", card.Send("00A4040008" + CardHarness.IsdAid + "00"));
    }
}
