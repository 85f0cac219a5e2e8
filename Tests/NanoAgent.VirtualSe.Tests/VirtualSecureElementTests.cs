using NanoAgent.Drivers.Apdu;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.VirtualSe.Tests;

public class VirtualSecureElementTests
{
    [Theory]
    [InlineData(VirtualSeProtocol.Se05xI2c)]
    [InlineData(VirtualSeProtocol.GpI2c)]
    [InlineData(VirtualSeProtocol.GpSpi)]
    public void HostStack_SelectsIsdAndListsRegistry_ThroughFaults(VirtualSeProtocol protocol)
    {
        var vse = VirtualSecureElement.Create(protocol);
        using var transport = vse.CreateHostTransport(new VirtualClock());
        transport.Open();
        var channel = new ApduChannel(transport);
        var rsp = new byte[1024];

        vse.Target.Faults.CorruptNextSeFrameAt = 3;
        int n = channel.Transmit(Hex.Parse("00A4040008A000000151000000"), 0, 13, rsp, 0);
        Assert.Equal("6F108408A000000151000000A5049F6501FF9000", Hex.Of(rsp, 0, n));

        vse.Target.Faults.DropNextHostFrame = true;
        n = channel.Transmit(Hex.Parse("80F24002024F00"), 0, 7, rsp, 0);
        Assert.Equal(StatusWord.Success, StatusWord.Read(rsp, 0, n));
        Assert.Equal(2, vse.Target.Faults.Fired);
    }

    [Fact]
    public void StateFile_SurvivesRestart()
    {
        string path = Path.Combine(Path.GetTempPath(), "vse-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var first = VirtualSecureElement.Create(VirtualSeProtocol.Se05xI2c, path);
            first.Card.State.Identity.Cplc.IcSerialNumber = 0xCAFE0001;
            first.Card.Commit();

            var second = VirtualSecureElement.Create(VirtualSeProtocol.GpI2c, path);
            Assert.Equal(0xCAFE0001u, second.Card.State.Identity.Cplc.IcSerialNumber);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
