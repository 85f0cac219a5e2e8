using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;
using static NanoAgent.VirtualSe.Tests.Card.CardHarness;

namespace NanoAgent.VirtualSe.Tests.RequestKeys;

/// <summary>The request verifier (docs/protocol.md §3.9) and the card's refusal to open SCP03 with a request key.</summary>
public class RequestVerifierAppletTests
{
    private const string Verifier = "F06E616E6F525601";

    // NIST SP 800-38B AES-128 CMAC example key (docs/specs.md), here the ISD's request key, version '60'.
    private static readonly byte[] Key = Hex.Parse("2B7E151628AED2A6ABF7158809CF4F3C");

    private static CardManager Card()
    {
        CardState state = CardState.CreateFresh();
        state.Isd.Domain!.KeySets.Add(KeySetRecord.Create(0x60, Key, Key, Key));
        var card = new CardManager(state);
        Assert.Equal("019000", card.Send("0070000001"));
        Assert.Equal("9000", card.Send("01A4040008" + Verifier));
        return card;
    }

    private static string Mac(string message)
    {
        byte[] m = Hex.Parse(message), mac = new byte[16];
        new AesCmac(BouncyCastleAesFactory.Instance.CreateAes(Key, 0, 16)).Compute(m, 0, m.Length, mac, 0);
        return Hex.Of(mac);
    }

    [Fact]
    public void Verify_NistExampleMessage_OneChunk_9000()
    {
        // NIST SP 800-38B example 2: M = 6BC1BEE22E409F96E93D7E117393172A, T = 070A16B46B4D4144F79BDD9DD04A287C.
        Assert.Equal("070A16B46B4D4144F79BDD9DD04A287C", Mac("6BC1BEE22E409F96E93D7E117393172A"));
        Assert.Equal("9000", Card().Send("813A81002A" + "6008" + IsdAid + "6BC1BEE22E409F96E93D7E117393172A" + "070A16B46B4D4144F79BDD9DD04A287C"));
    }

    [Fact]
    public void Verify_ThreeChunks_9000_WrongMac_6982()
    {
        CardManager card = Card();
        string message = string.Concat(Enumerable.Repeat("00112233445566778899AABBCCDDEEFF", 4));
        string mac = Mac(message);
        Assert.Equal("9000", card.Send("813A01001A" + "6008" + IsdAid + message[..32]));
        Assert.Equal("9000", card.Send("813A000020" + message[32..96]));
        Assert.Equal("9000", card.Send("813A800020" + message[96..] + mac));

        Assert.Equal("9000", card.Send("813A01001A" + "6008" + IsdAid + message[..32]));
        Assert.Equal("9000", card.Send("813A000020" + message[32..96]));
        Assert.Equal("6982", card.Send("813A800020" + message[96..] + "00" + mac[2..]));
    }

    [Theory]
    [InlineData("813A000004 01020304", "6985")] // no verification started
    [InlineData("813A81001A 6108" + IsdAid + "00000000000000000000000000000000", "6A88")] // no request key '61' on the ISD
    [InlineData("813A81001A 7008" + IsdAid + "00000000000000000000000000000000", "6A80")] // '70' is not a request key version
    [InlineData("813A810019 6008" + IsdAid + "000000000000000000000000000000", "6A80")] // last chunk shorter than a MAC
    [InlineData("813A020000", "6A86")]
    [InlineData("833A810000", "6881")] // channel 3 is not open
    public void Verify_Malformed_StatusWords(string apdu, string expected)
    {
        Assert.Equal(expected, Card().Send(apdu.Replace(" ", string.Empty, StringComparison.Ordinal)));
    }

    [Fact]
    public void InitializeUpdate_WithARequestKeyVersion_6A88_AndP1ZeroSkipsIt()
    {
        CardState state = CardState.CreateFresh();
        state.Isd.Domain!.KeySets.Insert(0, KeySetRecord.Create(0x60, Key, Key, Key));
        var card = new CardManager(state);

        Assert.Equal("6A88", card.Send("8050600008 0102030405060708 00".Replace(" ", string.Empty, StringComparison.Ordinal)));
        string answer = card.Send("8050000008 0102030405060708 00".Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.EndsWith("9000", answer);
        Assert.Equal("FF", answer.Substring(20, 2)); // key information: the initial key set 'FF', not the request key
    }

    [Fact]
    public void Verifier_IsNotInTheRegistry()
    {
        Assert.DoesNotContain(CardState.CreateFresh().Entries, e => Hex.Of(e.Aid) == Verifier);
        Assert.Equal("6A82", new CardManager(CardState.CreateFresh()).Send("00A4040007F06E616E6F525600")); // no partial match
    }
}
