using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;
using static NanoAgent.VirtualSe.Tests.Card.CardHarness;

namespace NanoAgent.VirtualSe.Tests.Card;

public class ManageChannelCommandTests
{
    [Fact]
    public void Open_CardAssigns_ReturnsLowestFreeUntilExhausted()
    {
        // ISO 7816-4 §7.1.2: P2 '00' lets the card pick; a card of 4 channels; none left: '6A81' (JCRE §4.5.1 step 4).
        var card = new CardManager(CardState.CreateFresh(), new CardManagerOptions { LogicalChannels = 4 });
        Assert.Equal("019000", card.Send("0070000001"));
        Assert.Equal("029000", card.Send("0070000001"));
        Assert.Equal("039000", card.Send("0070000001"));
        Assert.Equal("6A81", card.Send("0070000001"));
        Assert.Equal("9000", card.Send("00708002"));
        Assert.Equal("029000", card.Send("0070000001"));
    }

    [Fact]
    public void Open_DefaultCard_OffersNineteenSupplementaryChannels_ThenNoneFree6A81()
    {
        // The virtual card plays a GP card with ISO/IEC 7816-4 extended logical channels: 1-19, then '6A81'.
        var card = new CardManager(CardState.CreateFresh());
        for (int i = 1; i <= 19; i++)
        {
            Assert.Equal($"{i:X2}9000", card.Send("0070000001"));
        }

        Assert.Equal("6A81", card.Send("0070000001"));
        Assert.Equal("6A86", card.Send("00700013")); // channel 19 is open
        Assert.Equal("9000", card.Send("00708013"));
        Assert.Equal("9000", card.Send("00700013"));
    }

    [Fact]
    public void StateNamesTheChannelCount_TakesPrecedenceOverTheOptions()
    {
        CardState state = CardState.CreateFresh();
        state.LogicalChannels = 3;
        var card = new CardManager(state, new CardManagerOptions { LogicalChannels = 20 });

        Assert.Equal((3, "019000", "029000", "6A81"), (card.ChannelCount, card.Send("0070000001"), card.Send("0070000001"), card.Send("0070000001")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void State_ChannelCountOutOfRange_Invalid(int count)
    {
        CardState state = CardState.CreateFresh();
        state.LogicalChannels = count;
        Assert.Contains("logical channels", state.Validate());
    }

    [Theory]
    [InlineData("00700000", "6C01")] // P2 '00' needs Le = '01'
    [InlineData("0070000002", "6C01")]
    [InlineData("0070000301", "6A86")] // channel already open (opened first below)
    [InlineData("00700004", "6A86")] // beyond the 4 channels of this card
    [InlineData("00700014", "6A81")] // beyond channel 19
    [InlineData("00704000", "6A81")] // P1 neither open nor close
    [InlineData("00708000", "6A81")] // the basic channel cannot be closed
    [InlineData("00708002", "6200")] // closing a channel that is not open: warning
    [InlineData("0470000001", "6882")] // secure messaging
    [InlineData("0070000001 00", "6700")] // a data field
    public void ManageChannel_Errors(string apdu, string expected)
    {
        var card = new CardManager(CardState.CreateFresh(), new CardManagerOptions { LogicalChannels = 4 });
        Assert.Equal("9000", card.Send("00700003"));
        Assert.Equal(expected, card.Send(apdu));
    }

    [Fact]
    public void Open_FromBasicChannel_SelectsIsd_FromOtherChannel_InheritsSelection()
    {
        // ISO 7816-4 logical channels (and the Java Card RE): from channel 0 the default application, else the origin's.
        var card = new CardManager(CardState.CreateFresh());
        card.Send("00A4040008" + AppAid + "00");
        Assert.Equal("019000", card.Send("0070000001"));
        Assert.Equal(IsdAid, Hex.Of(card.GetChannel(1).Selected!.Aid));
        Assert.Equal("6F0A8408" + AppAid + "9000", card.Send("01A4040008" + AppAid + "00"));
        Assert.Equal("029000", card.Send("0170000001"));
        Assert.Equal(AppAid, Hex.Of(card.GetChannel(2).Selected!.Aid));
    }

    [Fact]
    public void Channels_KeepTheirOwnSelection()
    {
        var card = new CardManager(CardState.CreateFresh());
        card.Send("0070000001");
        Assert.Equal("6F0A8408" + AppAid + "9000", card.Send("01A4040008" + AppAid + "00"));
        Assert.Equal("42046E616E6F9000", card.Send("80CA004200")); // channel 0: ISD
        Assert.Equal("6D00", card.Send("81CA004200")); // channel 1: the application
        Assert.Equal(IsdAid, Hex.Of(card.GetChannel(0).Selected!.Aid));
        Assert.Equal(AppAid, Hex.Of(card.GetChannel(1).Selected!.Aid));
    }

    [Theory]
    [InlineData("01CA004200")] // channel 1, never opened
    [InlineData("03A4040008" + IsdAid + "00")]
    [InlineData("44CA004200")] // channel 8, beyond the configured channels
    [InlineData("C0CA004200")] // channel 4 in the GP further class
    public void Command_OnClosedChannel_Answers6881(string apdu)
    {
        Assert.Equal("6881", new CardManager(CardState.CreateFresh()).Send(apdu));
    }

    [Fact]
    public void Close_ThenCommandOnThatChannel_Answers6881()
    {
        var card = new CardManager(CardState.CreateFresh());
        card.Send("0070000001");
        Assert.Equal("9000", card.Send("00708001"));
        Assert.Equal("6881", card.Send("81CA004200"));
        Assert.Null(card.GetChannel(1).Selected);
    }

    [Fact]
    public void FurtherChannels_UseFurtherInterindustryClass()
    {
        // ISO 7816-4 §5.4.1: channels 4-19 in CLA '01xx xxxx' (GP: '11xx xxxx'), number - 4 in b4-b1.
        var card = new CardManager(CardState.CreateFresh(), new CardManagerOptions { LogicalChannels = 20 });
        Assert.Equal("9000", card.Send("00700013"));
        Assert.Equal("42046E616E6F9000", card.Send("CFCA004200"));
        Assert.Equal("6F0A8408" + AppAid + "9000", card.Send("4FA4040008" + AppAid + "00"));
        Assert.Equal("9000", card.Send("4F708013"));
        Assert.Equal("6881", card.Send("CFCA004200"));
    }

    [Fact]
    public void SingleChannelCard_RejectsManageChannel()
    {
        var card = new CardManager(CardState.CreateFresh(), new CardManagerOptions { LogicalChannels = 1 });
        Assert.Equal("6881", card.Send("0070000001"));
    }
}
