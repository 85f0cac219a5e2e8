using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Jrcp;
using NanoAgent.Drivers.T1;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Drivers.Tests.Jrcp;

public class JrcpClientTransportTests
{
    [Fact]
    public void ClientAgainstSession_OpenSendsAndCloses_OnTheVirtualSe()
    {
        var vse = VirtualSecureElement.Create(VirtualSeProtocol.Se05xI2c);
        ISeTransport far = vse.CreateHostTransport(new VirtualClock());
        var (near, farEnd) = PipeChannel.Pair();
        var session = new JrcpSession(farEnd, new TransportLentSe(far), new SeAccessLock(SystemClock.Instance), SystemClock.Instance,
            new JrcpServerOptions { CloseEndsSession = false, PollMs = 10 }, null);
        var run = new Background<JrcpSessionEnd>(session.Run);
        var client = new JrcpClientTransport(near, SystemClock.Instance, 5000, "test link");

        byte[] atr = client.Open();
        var channel = new ApduChannel(client, 255, 256, 8);
        byte[] response = new byte[258];
        int n = channel.Transmit(Hex.Parse("00A4040000"), 0, 5, response, 0);
        client.Close();

        Assert.Equal(Hex.Of(far.InterfaceBytes), Hex.Of(atr));
        Assert.Equal(0x9000, StatusWord.Read(response, 0, n));
        session.Stop();
        Assert.Equal(JrcpSessionEnd.Stopped, run.Result);
    }

    [Fact]
    public void FarSideWithoutSe_OpenAndTransceiveAreNoDevice()
    {
        var (near, farEnd) = PipeChannel.Pair();
        var session = new JrcpSession(farEnd, new FakeLentSe { Unreachable = true }, new SeAccessLock(SystemClock.Instance), SystemClock.Instance,
            new JrcpServerOptions { PollMs = 10 }, null);
        _ = new Background<JrcpSessionEnd>(session.Run);
        var client = new JrcpClientTransport(near, SystemClock.Instance, 5000, "test link");

        Assert.Equal(BlockProtocolError.NoDevice, Assert.Throws<BlockProtocolException>(() => client.Open()).Error);
        Assert.Equal(BlockProtocolError.NoDevice, Assert.Throws<BlockProtocolException>(() => client.Transceive([0x80, 0xCA, 0x9F, 0x7F], 0, 4, new byte[16], 0)).Error);
        session.Stop();
    }

    [Fact]
    public void NoAnswer_IsATimeout_AndAClosedLinkABusFault()
    {
        var (near, farEnd) = PipeChannel.Pair();
        var client = new JrcpClientTransport(near, SystemClock.Instance, 200, "test link");
        Assert.Equal(BlockProtocolError.Timeout, Assert.Throws<BlockProtocolException>(() => client.Open()).Error);
        farEnd.Close();
        Assert.Equal(BlockProtocolError.BusFault, Assert.Throws<BlockProtocolException>(() => client.Open()).Error);
    }
}
