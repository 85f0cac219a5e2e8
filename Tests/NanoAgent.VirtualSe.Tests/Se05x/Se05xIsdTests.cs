using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Platform;
using NanoAgent.VirtualSe.Se05x;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>The card manager of the virtual SE05x: what a lab's GP tools get from it (Se05x/README.md "Card manager").</summary>
public class Se05xIsdTests
{
    [Fact]
    public void AfterReset_IsdSelected_GetDataAnswersCplcWithoutAChannel()
    {
        var rig = new Se05xRig(select: false);
        Se05xRig.Reply cplc = rig.Send("80CA9F7F00");
        Assert.Equal(0x9000, cplc.Sw);
        Assert.Equal("9F7F2A", Hex.Of(cplc.Data, 0, 3));
        Assert.Equal("6F108408A000000151000000A5049F6501FF", rig.Send("00A4040000").Hex);
        Assert.Equal(0x6A88, rig.Send("80CA00FE00").Sw);
    }

    [Fact]
    public void GetStatusAndContentManagement_NeedThePlatformChannel()
    {
        var rig = new Se05xRig(select: false);
        Assert.Equal(0x6982, rig.Send("80F28002024F00").Sw);
        Assert.Equal(0x6982, rig.Send("80E60C0000").Sw);
        Assert.Equal(0x6A88, rig.Send("80500B0008 0102030405060708 00").Sw); // no such key set on the card itself
        Assert.Equal(0x6D00, rig.Send("80AA000000").Sw);
        Assert.Equal(0x6881, rig.Send("01CA9F7F00").Sw); // basic channel only
    }

    [Fact]
    public void OnThePlatformChannel_GetStatusListsIsdAndIotApplet()
    {
        byte[] k = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var keys = new Scp03StaticKeys(NanoAgent.Drivers.Host.Crypto.BouncyCastleAesFactory.Instance, 0x0B, k, k, k);
        var se = VirtualSecureElement.Create(VirtualSeCard.Se05x, VirtualSeProtocol.Se05xI2c, platformScp: new PlatformScpOptions { Keys = keys });
        using var block = se.CreateHostTransport(new VirtualClock());
        block.Open();
        var platform = new PlatformScp03Transport(block, CryptoRandomSource.Instance) { CountsCommandsWithDataOnly = true };
        platform.Open(keys);
        var answer = new byte[300];
        int n = platform.Transceive(Hex.Parse("80F28002024F00"), 0, 7, answer, 0);
        Assert.Equal("E3134F08A0000001510000009F70010FC5039EFE80" + "9000", Hex.Of(answer, 0, n));
        n = platform.Transceive(Hex.Parse("80F24002024F00"), 0, 7, answer, 0);
        Assert.Equal("E31B4F10A00000039654530000000103000000009F700107C503000000" + "9000", Hex.Of(answer, 0, n));
        n = platform.Transceive(Hex.Parse("80CA00E000"), 0, 5, answer, 0);
        Assert.Equal("E012C00401" + "0B8810C004020B8810C004030B8810" + "9000", Hex.Of(answer, 0, n));
        n = platform.Transceive(Hex.Parse("80E60C0000"), 0, 5, answer, 0);
        Assert.Equal("6985", Hex.Of(answer, 0, n));
    }

    [Fact]
    public void VirtualSe_Se05xCardOnGp_Refused()
    {
        Assert.Throws<ArgumentException>(() => VirtualSecureElement.Create(VirtualSeCard.Se05x, VirtualSeProtocol.GpI2c));
        var gp = VirtualSecureElement.Create(VirtualSeCard.Gp, VirtualSeProtocol.GpI2c);
        Assert.Null(gp.Se05x);
        var se = VirtualSecureElement.Create(VirtualSeCard.Se05x, VirtualSeProtocol.Se05xI2c);
        Assert.Equal(VirtualSeCard.Se05x, se.CardKind);
        Assert.Throws<InvalidOperationException>(() => se.Card);
    }
}
