using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.Scp03;
using NanoAgent.VirtualSe.State;
using NanoAgent.VirtualSe.Tests.Card;
using NanoAgent.VirtualSe.Tests.Gp;

namespace NanoAgent.VirtualSe.Tests.Scp03;

/// <summary>
/// GP Amd D §6.2.4: the C-MAC covers the class byte with the logical channel number set to zero (and the SM bit set), so a
/// session's commands may be wrapped for one channel and sent on another: what the relay does (docs/protocol.md §4.3).
/// </summary>
public class Scp03LogicalChannelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(19)]
    public void SessionWrappedForTheBasicChannel_SentOnChannelN_VerifiedByTheCard(int channel)
    {
        var card = new CardManager(CardState.CreateFresh());
        Assert.Equal("9000", card.Send($"007000{channel:X2}"));
        var host = new Scp03HostSession(GpHost.InitialKeys(), 8);
        byte[] apdu = new byte[300];
        byte[] wire = new byte[300];
        byte[] rsp = new byte[1024];

        Assert.Equal("9000", Tail(card.Send(OnChannel("00A4040008" + CardHarness.IsdAid + "00", channel))));
        int n = host.BuildInitializeUpdate(new byte[8], 0, apdu, 0);
        byte[] iu = Hex.Parse(card.Send(OnChannel(Hex.Of(apdu, 0, n), channel)));
        host.ProcessInitializeUpdateResponse(iu, 0, iu.Length);
        n = host.BuildExternalAuthenticate(0x33, apdu, 0);
        Assert.Equal("9000", card.Send(OnChannel(Hex.Of(apdu, 0, n), channel)));
        host.ProcessExternalAuthenticateResponse(Hex.Parse("9000"), 0, 2);

        foreach (string plain in new[] { "80CA006600", "80F28002024F0000", "80CA00E000" })
        {
            n = Hex.Parse(plain).Length;
            Hex.Parse(plain).CopyTo(apdu, 0);
            int w = host.Wrap(apdu, 0, n, wire, 0);
            Assert.Equal(0x84, wire[0]); // wrapped for the basic channel
            byte[] answer = Hex.Parse(card.Send(OnChannel(Hex.Of(wire, 0, w), channel)));
            int r = host.Unwrap(answer, 0, answer.Length, rsp, 0);
            Assert.Equal("9000", Hex.Of(rsp, r - 2, 2));
        }

        // The session lives on channel N only: on the basic channel the same kind of command finds none.
        Hex.Parse("80CA006600").CopyTo(apdu, 0);
        n = host.Wrap(apdu, 0, 5, wire, 0);
        Assert.Equal("6982", card.Send(Hex.Of(wire, 0, n)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(19)]
    public void CardSession_CommandWrappedOnChannelNForChannel0_Verifies_AndTheOtherBitsStillCount(int channel)
    {
        var pair = new Scp03Pair().Open(0x33);
        byte[] command = Hex.Parse("80E29000 11 DF0102030405060708090A0B0C0D0E0F10 00".Replace(" ", string.Empty));
        byte[] wire = new byte[300];
        int n = pair.Host.Wrap(command, 0, command.Length, wire, 0);
        wire[0] = GpClassByte.OnChannel(wire[0], channel);
        byte[] plain = new byte[300];

        Assert.True(pair.Card.TryUnwrapCommand(wire, 0, n, plain, 0, out int length, out _));
        Assert.Equal(GpClassByte.OnChannel(0x80, channel), plain[0]); // SM bit cleared, channel kept
        Assert.Equal(Hex.Of(command, 1, command.Length - 1), Hex.Of(plain, 1, length - 1));
    }

    private static string OnChannel(string hex, int channel)
    {
        byte[] apdu = Hex.Parse(hex);
        apdu[0] = GpClassByte.OnChannel(apdu[0], channel);
        return Hex.Of(apdu);
    }

    private static string Tail(string hex) => hex[^4..];
}
