using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Se05x;

namespace NanoAgent.Drivers.Tests.T1.Se05x;

public class Se05xT1ProtocolTests
{
    [Fact]
    public void Open_Default_SendsSoftResetAndAppliesAtr()
    {
        var rig = new Se05xRig(ifsc: 32);
        byte[] atr = rig.Host.Open();

        Assert.Equal("5ACF00377F", Hex.Of(rig.HostFrames[0])); // published S(INTERFACE SOFT RESET)
        Assert.Equal(Hex.Of(rig.Responder.Atr), Hex.Of(atr));
        Assert.Same(atr, rig.Host.InterfaceBytes);
        Assert.Equal(32, rig.Host.Ifsc);
        Assert.Equal(254, rig.Host.Ifsd);
        Assert.Equal(1000, rig.Host.BwtMilliseconds);
        Assert.Equal("SE05x T=1oI2C", rig.Host.ProtocolName);
    }

    [Fact]
    public void Open_WithoutSoftReset_SendsResynchThenGetAtr()
    {
        var rig = new Se05xRig(options: new Se05xT1Options { OpenWithSoftReset = false });
        rig.Host.Open();

        Assert.Equal("5AC000FFFC", Hex.Of(rig.HostFrames[0])); // published S(RESYNCH)
        Assert.Equal("5AC700F7B1", Hex.Of(rig.HostFrames[1])); // published S(GET ATR)
        Assert.Equal(Hex.Of(rig.Responder.Atr), Hex.Of(rig.Host.InterfaceBytes));
    }

    [Fact]
    public void Transceive_BeforeOpen_ThrowsNotOpen()
    {
        var rig = new Se05xRig();
        Assert.Equal(BlockProtocolError.NotOpen, Assert.Throws<BlockProtocolException>(() => rig.Send([0x00, 0xA4, 0x04, 0x00])).Error);
    }

    [Fact]
    public void Transceive_EmptyCommand_ThrowsCommandTooLarge()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        Assert.Equal(BlockProtocolError.CommandTooLarge, Assert.Throws<BlockProtocolException>(() => rig.Send([])).Error);
    }

    [Fact]
    public void Transceive_ShortApdu_OneIBlockEachWay()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.HostFrames.Clear();

        byte[] response = rig.Send(Hex.Parse("00A4040003A00102"));

        Assert.Equal("A001029000", Hex.Of(response));
        Assert.Single(rig.HostFrames);
        Assert.Equal("5A0008", Hex.Of(rig.HostFrames[0], 0, 3)); // I-block N(S)=0, LEN 8
        Assert.Equal(0x00, rig.SeFrames[^1][1]); // card's first I-block N(S)=0
        Assert.Equal("9000", Hex.Of(rig.Send(Hex.Parse("00A40400"))[^2..]));
        Assert.Equal(0x40, rig.HostFrames[^1][1]); // second APDU N(S)=1
    }

    [Fact]
    public void Transceive_LongResponse_HostAcksWithPublishedRAck()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.HostFrames.Clear();

        byte[] response = rig.Send(Se05xRig.Case4E(Se05xRig.Pattern(300)));

        Assert.Equal(Hex.Of(Se05xRig.Echo(Se05xRig.Pattern(300))), Hex.Of(response));
        Assert.Equal("5A9000082F", Hex.Of(rig.HostFrames[^1])); // published R-ACK N(R)=1
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(254)]
    public void Transceive_ChainsBothWaysAtIfs(int ifs)
    {
        var rig = new Se05xRig(ifsc: ifs);
        rig.Host.Open();
        rig.Host.NegotiateIfsd(ifs);
        byte[] data = Se05xRig.Pattern(600);
        rig.HostFrames.Clear();
        rig.SeFrames.Clear();

        byte[] response = rig.Send(Se05xRig.Case4E(data));

        Assert.Equal(Hex.Of(Se05xRig.Echo(data)), Hex.Of(response));
        Assert.Equal(ifs, rig.Responder.Ifsd);
        Assert.All(rig.HostFrames, f => Assert.True(f[2] <= ifs));
        Assert.All(rig.SeFrames, f => Assert.True(f[2] <= ifs));
        Assert.Equal((609 + ifs - 1) / ifs, rig.HostFrames.Count(f => (f[1] & 0x80) == 0));
        Assert.Equal((602 + ifs - 1) / ifs, rig.SeFrames.Count(f => (f[1] & 0x80) == 0));
    }

    [Fact]
    public void NegotiateIfsd_SendsSIfsWithOneByte()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Host.NegotiateIfsd(32);

        Assert.Equal("5AC10120", Hex.Of(rig.HostFrames[^1], 0, 4));
        Assert.Equal(32, rig.Host.Ifsd);
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Host.NegotiateIfsd(255));
    }

    [Fact]
    public void Resynchronize_ResetsSequenceNumbers()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Send(Hex.Parse("00A40400"));
        rig.Host.Resynchronize();
        rig.Send(Hex.Parse("00A40400"));

        Assert.Equal("5AC000FFFC", Hex.Of(rig.HostFrames[^2]));
        Assert.Equal(0x00, rig.HostFrames[^1][1]); // N(S) back to 0
        Assert.Equal(1, rig.Responder.HostRequests[(int)Se05xSBlockType.Resynch]);
    }

    [Fact]
    public void SoftReset_ReturnsAtrAndResetsSequence()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Send(Hex.Parse("00A40400"));

        byte[] atr = rig.Host.SoftReset();

        Assert.Equal(Hex.Of(rig.Responder.Atr), Hex.Of(atr));
        Assert.Equal("9000", Hex.Of(rig.Send(Hex.Parse("00A40400"))[^2..]));
        Assert.Equal(0x00, rig.HostFrames[^1][1]);
    }

    [Fact]
    public void ReadAtr_SendsGetAtr()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        Assert.Equal(Hex.Of(rig.Responder.Atr), Hex.Of(rig.Host.ReadAtr()));
        Assert.Equal("5AC700F7B1", Hex.Of(rig.HostFrames[^1]));
    }

    [Fact]
    public void Close_SendsEndOfApduSession_LinkStaysUsable()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Host.Close();

        Assert.Equal("5AC5004782", Hex.Of(rig.HostFrames[^1])); // published END OF APDU SESSION
        Assert.Equal(1, rig.Responder.HostRequests[(int)Se05xSBlockType.EndOfApduSession]);
        Assert.Equal("9000", Hex.Of(rig.Send(Hex.Parse("00A40400"))[^2..]));
    }

    [Fact]
    public void ChipReset_ClosesLink_OpenAgainWorks()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Host.ChipReset();

        Assert.Equal(1, rig.Responder.HostRequests[(int)Se05xSBlockType.ChipReset]);
        Assert.False(rig.Host.IsOpen);
        rig.Host.Open();
        Assert.Equal("9000", Hex.Of(rig.Send(Hex.Parse("00A40400"))[^2..]));
    }

    [Fact]
    public void Wtx_CardAsksThreeTimes_HostAnswersEachAndGetsResponse()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Responder.WtxMultiplier = 3;
        rig.Responder.RequestWtxBeforeNextResponse(3);

        byte[] response = rig.Send(Hex.Parse("00A40400"));

        Assert.Equal("9000", Hex.Of(response));
        Assert.Equal(3, rig.Responder.WtxResponses);
        Assert.Equal(3, rig.HostFrames.Count(f => f[1] == 0xE3 && f[2] == 1 && f[3] == 3));
    }

    [Fact]
    public void Wtx_BeyondLimit_ThrowsTimeout_NextTransceiveSucceeds()
    {
        var rig = new Se05xRig(options: new Se05xT1Options { MaxWtxRequests = 4 });
        rig.Host.Open();
        rig.Responder.RequestWtxBeforeNextResponse(10);

        var e = Assert.Throws<BlockProtocolException>(() => rig.Send(Hex.Parse("00A40400")));

        Assert.Equal(BlockProtocolError.Timeout, e.Error);
        Assert.Equal("9000", Hex.Of(rig.Send(Hex.Parse("00A40400"))[^2..]));
    }

    [Fact]
    public void Ifs_FromCard_ChangesHostIfsc()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Responder.RequestIfsBeforeNextResponse(16);

        rig.Send(Hex.Parse("00A40400"));
        rig.HostFrames.Clear();
        byte[] response = rig.Send(Se05xRig.Case4E(Se05xRig.Pattern(100)));

        Assert.Equal(16, rig.Host.Ifsc);
        Assert.Equal(16, rig.Responder.Ifsc);
        Assert.Equal(Hex.Of(Se05xRig.Echo(Se05xRig.Pattern(100))), Hex.Of(response));
        Assert.All(rig.HostFrames, f => Assert.True(f[2] <= 16));
    }

    [Fact]
    public void Abort_FromCard_ThrowsAborted_NextTransceiveSucceeds()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Responder.AbortNextResponse();

        var e = Assert.Throws<BlockProtocolException>(() => rig.Send(Hex.Parse("00A40400")));

        Assert.Equal(BlockProtocolError.Aborted, e.Error);
        Assert.Contains(rig.HostFrames, f => f[1] == 0xE2);
        Assert.Equal("9000", Hex.Of(rig.Send(Hex.Parse("00A40400"))[^2..]));
    }

    [Fact]
    public void ResponseLargerThanBuffer_ThrowsResponseTooLarge_LinkResynchronised()
    {
        var rig = new Se05xRig();
        rig.Host.Open();

        var e = Assert.Throws<BlockProtocolException>(() => rig.Send(Se05xRig.Case4E(Se05xRig.Pattern(1024)), capacity: 100));

        Assert.Equal(BlockProtocolError.ResponseTooLarge, e.Error);
        Assert.Equal("5AC000FFFC", Hex.Of(rig.HostFrames[^1]));
        Assert.Equal(Hex.Of(Se05xRig.Echo([1, 2, 3])), Hex.Of(rig.Send(Se05xRig.Case4E([1, 2, 3]))));
    }

    [Fact]
    public void Transceive_AfterWarmUp_AllocatesNothing()
    {
        var clock = new NanoAgent.VirtualSe.Bus.VirtualClock();
        var card = new ChainingCardLink();
        var host = new Se05xT1Protocol(card, clock, null, false);
        host.Open();
        byte[] command = Se05xRig.Case4E(Se05xRig.Pattern(600));
        byte[] response = new byte[64];
        host.Transceive(command, 0, command.Length, response, 0);

        int total = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            total += host.Transceive(command, 0, command.Length, response, 0);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(20 * 12, total);
        Assert.Equal(0, allocated);
    }
}
