using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;
using static NanoAgent.VirtualSe.Tests.Card.CardHarness;

namespace NanoAgent.VirtualSe.Tests.Card;

public class SelectCommandTests
{
    [Theory]
    [InlineData("00A4040008" + IsdAid + "00")] // full AID
    [InlineData("00A4040005A000000151" + "00")] // partial AID (RID only)
    [InlineData("00A4040000")] // no AID: GPC §11.9.2.3 selects the ISD
    [InlineData("00A4040008" + IsdAid)] // case 3: Le absent, answered as Le = 00
    public void Select_Isd_ReturnsGpFci(string apdu)
    {
        var card = new CardManager(CardState.CreateFresh());
        card.Send("00A4040008" + AppAid + "00");
        Assert.Equal(IsdFci + "9000", card.Send(apdu));
        Assert.Equal(IsdAid, Hex.Of(card.GetChannel(0).Selected!.Aid));
    }

    [Fact]
    public void Select_Application_ReturnsIsoFciWithAid()
    {
        var card = new CardManager(CardState.CreateFresh());
        Assert.Equal("6F0A8408" + AppAid + "9000", card.Send("00A4040008" + AppAid + "00"));
        Assert.Equal(AppAid, Hex.Of(card.GetChannel(0).Selected!.Aid));
    }

    [Fact]
    public void Select_PartialAid_SkipsLoadFilesWhichAreNotSelectable()
    {
        // The prefix F06E616E6F matches the load file first (never selectable, GPC §5.2), then the application.
        var card = new CardManager(CardState.CreateFresh());
        Assert.Equal("6F0A8408" + AppAid + "9000", card.Send("00A4040005F06E616E6F00"));
    }

    [Fact]
    public void Select_NoResponseDataP2_SelectsWithoutFci()
    {
        var card = new CardManager(CardState.CreateFresh());
        Assert.Equal("9000", card.Send("00A4040C08" + AppAid));
        Assert.Equal(AppAid, Hex.Of(card.GetChannel(0).Selected!.Aid));
    }

    [Fact]
    public void Select_NextOccurrence_WalksPartialMatchesInRegistryOrder()
    {
        var card = new CardManager(WithApplications(3));
        Assert.Equal("6F128410" + ExtraAid(0) + "9000", SelectPrefix(card, "00"));
        Assert.Equal("6F128410" + ExtraAid(1) + "9000", SelectPrefix(card, "02"));
        Assert.Equal("6F128410" + ExtraAid(2) + "9000", SelectPrefix(card, "02"));
        Assert.Equal("6A82", SelectPrefix(card, "02"));
        Assert.Equal(ExtraAid(2), Hex.Of(card.GetChannel(0).Selected!.Aid));
        Assert.Equal("6F128410" + ExtraAid(0) + "9000", SelectPrefix(card, "00"));
    }

    [Theory]
    [InlineData("00A4040007A0000000030000")] // not in the registry
    [InlineData("00A4040004A0000001")] // shorter than a RID
    public void Select_Unknown_Answers6A82AndKeepsSelection(string apdu)
    {
        var card = new CardManager(CardState.CreateFresh());
        card.Send("00A4040008" + AppAid + "00");
        Assert.Equal("6A82", card.Send(apdu));
        Assert.Equal(AppAid, Hex.Of(card.GetChannel(0).Selected!.Aid));
    }

    [Theory]
    [InlineData(EntryLifeCycle.Installed)]
    [InlineData(EntryLifeCycle.Selectable | EntryLifeCycle.LockedBit)]
    public void Select_ApplicationNotSelectable_Answers6A82(byte lifeCycle)
    {
        CardState state = CardState.CreateFresh();
        state.Entries.Add(Application("D000000001", lifeCycle));
        Assert.Equal("6A82", new CardManager(state).Send("00A4040005D00000000100"));
    }

    [Fact]
    public void Select_CardLocked_OnlyIsdSelectable()
    {
        // GPC §5.1.1.4: in CARD_LOCKED only the ISD may be selected.
        CardState state = CardState.CreateFresh();
        state.LifeCycle = CardLifeCycle.CardLocked;
        var card = new CardManager(state);
        Assert.Equal("6A82", card.Send("00A4040008" + AppAid + "00"));
        Assert.Equal(IsdFci + "9000", card.Send("00A4040008" + IsdAid + "00"));
    }

    [Theory]
    [InlineData("00A4000002 3F00")] // select by file identifier
    [InlineData("00A4040108" + IsdAid)] // P2 'last occurrence'
    [InlineData("00A4040408" + IsdAid)] // P2 'return FCP'
    public void Select_UnsupportedP1P2_Answers6A86(string apdu)
    {
        Assert.Equal("6A86", new CardManager(CardState.CreateFresh()).Send(apdu));
    }

    /// <summary>SELECT by the 13-byte prefix the extra applications share.</summary>
    private static string SelectPrefix(CardManager card, string p2) =>
        card.Send("00A404" + p2 + "0D" + "D0000000010000000000000000" + "00");
}
