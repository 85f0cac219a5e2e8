using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;
using static NanoAgent.VirtualSe.Tests.Card.CardHarness;

namespace NanoAgent.VirtualSe.Tests.Card;

public class GetStatusCommandTests
{
    // Expected encodings follow GPC v2.3.1 §11.4.3.1 (tag list, deprecated fixed format) over the fresh card.
    [Theory]
    [InlineData("80F28002024F0000", "E3134F08" + IsdAid + "9F70010F" + "C5039EFE80" + "9000")]
    [InlineData("80F24002024F0000", "E3254F08" + AppAid + "9F700107" + "C503000000" + "C406" + ElfAid + "CC08" + IsdAid + "9000")]
    [InlineData("80F22002024F0000", "E3164F06" + ElfAid + "9F700101" + "CC08" + IsdAid + "9000")]
    [InlineData("80F21002024F0000", "E31F4F06" + ElfAid + "9F700101" + "8407F06E616E6F0101" + "CC08" + IsdAid + "9000")]
    [InlineData("80F28000024F0000", "08" + IsdAid + "0F9E" + "9000")]
    [InlineData("80F24000024F0000", "08" + AppAid + "0700" + "9000")]
    [InlineData("80F22000024F0000", "06" + ElfAid + "0100" + "9000")]
    [InlineData("80F21000024F0000", "06" + ElfAid + "0100" + "01" + "07F06E616E6F0101" + "9000")]
    [InlineData("80F2400207 4F05F06E616E6F 00", "E3254F08" + AppAid + "9F700107" + "C503000000" + "C406" + ElfAid + "CC08" + IsdAid + "9000")]
    public void GetStatus_FreshCard_ReturnsRegistryEntries(string apdu, string expected)
    {
        Assert.Equal(expected, new CardManager(CardState.CreateFresh()).Send(apdu));
    }

    [Fact]
    public void GetStatus_CardLifeCycleIsReportedForIsd()
    {
        CardState state = CardState.CreateFresh();
        state.LifeCycle = CardLifeCycle.Initialized;
        Assert.StartsWith("E3134F08" + IsdAid + "9F700107", new CardManager(state).Send("80F28002024F0000"));
    }

    [Theory]
    [InlineData("80F2400207 4F05A000000151 00", "6A88")] // the ISD is not in the P1 '40' subset
    [InlineData("80F2800200", "6A80")] // no search criteria
    [InlineData("80F2800202 4C00 00", "6A80")] // not the '4F' qualifier
    [InlineData("80F2800203 4F05A0 00", "6A80")] // AID length beyond the data field
    [InlineData("80F2300202 4F00 00", "6A86")] // unknown subset
    [InlineData("80F2800402 4F00 00", "6A86")] // unknown P2 bit
    [InlineData("80F2800302 4F00 00", "6985")] // next occurrence with nothing to continue
    [InlineData("00F2800202 4F00 00", "6E00")] // GP command in ISO class
    [InlineData("84F2800202 4F00 00", "6982")] // secure messaging without a session
    public void GetStatus_BadRequests_ReturnStatus(string apdu, string expected)
    {
        Assert.Equal(expected, new CardManager(CardState.CreateFresh()).Send(apdu));
    }

    [Theory]
    [InlineData("00", 6)] // Le = 00: 256 bytes per page, 39-byte entries
    [InlineData("50", 2)] // Le = 80 bytes
    public void GetStatus_ManyEntries_PagesWith6310AndNextOccurrence(string le, int perPage)
    {
        var card = new CardManager(WithApplications(20));
        var seen = new List<string>();
        var statuses = new List<string>();
        string p2 = "02";
        while (true)
        {
            string rsp = card.Send("80F240" + p2 + "024F00" + le);
            statuses.Add(rsp[^4..]);
            byte[] data = Hex.Parse(rsp[..^4]);
            Assert.True(data.Length <= (le == "00" ? 256 : 0x50));
            int count = 0;
            for (int at = 0; at < data.Length; at += 2 + data[at + 1], count++)
            {
                Assert.Equal(0xE3, data[at]);
                seen.Add(Hex.Of(data, at + 4, data[at + 3]));
            }

            Assert.True(count == perPage || rsp.EndsWith("9000"));
            if (!rsp.EndsWith("6310"))
            {
                break;
            }

            p2 = "03";
        }

        Assert.Equal("9000", statuses[^1]);
        Assert.All(statuses.Take(statuses.Count - 1), s => Assert.Equal("6310", s));
        Assert.Equal([AppAid, .. Enumerable.Range(0, 20).Select(ExtraAid)], seen);
        Assert.Equal("6985", card.Send("80F24003024F0000"));
    }

    [Fact]
    public void GetStatus_OtherCommandBetweenPages_DropsContinuation()
    {
        var card = new CardManager(WithApplications(20));
        Assert.EndsWith("6310", card.Send("80F24002024F0000"));
        card.Send("80CA004200");
        Assert.Equal("6985", card.Send("80F24003024F0000"));
    }

    [Fact]
    public void GetStatus_EntryLongerThanLe_GoesThroughGetResponseAndKeeps6310()
    {
        // A page holds at least one entry; what exceeds Le is fetched with GET RESPONSE, ending with the '6310'.
        var card = new CardManager(WithApplications(3));
        string first = card.Send("80F24002024F0010");
        Assert.Equal(16 * 2 + 4, first.Length);
        Assert.EndsWith("6117", first);
        string rest = card.Send("00C0000000");
        Assert.EndsWith("6310", rest);
        Assert.Equal("E3254F08" + AppAid, (first[..^4] + rest[..^4])[..24]);
        Assert.Equal(0x27 * 2, first.Length - 4 + rest.Length - 4);
    }
}
