using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.Platform;
using NanoAgent.VirtualSe.Se05x;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Tests.Platform;

public class PlatformScpGateTests
{
    private static readonly Scp03StaticKeys Keys =
        Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x30, Hex.Parse("404142434445464748494A4B4C4D4E4F"));

    [Fact]
    public void Process_PlainCommandWhenRequired_Refused6982AndNotForwarded()
    {
        var card = new CardManager(CardState.CreateFresh());
        var gate = new PlatformScpGate(card, Keys, new PlatformScpOptions { RequirePlatformScp = true });
        var rsp = new byte[300];
        int n = gate.Process(Hex.Parse("80CA9F7F00"), rsp);
        Assert.Equal("6982", Hex.Of(rsp, 0, n));
        Assert.Equal(1, gate.Refusals);
    }

    [Fact]
    public void Process_PlainCommandWhenNotRequired_Forwarded()
    {
        var card = new CardManager(CardState.CreateFresh());
        var gate = new PlatformScpGate(card, Keys, new PlatformScpOptions { RequirePlatformScp = false });
        var rsp = new byte[300];
        int n = gate.Process(Hex.Parse("80CA9F7F00"), rsp);
        Assert.Equal("9F7F2A", Hex.Of(rsp, 0, 3));
        Assert.Equal(StatusWord.Success, StatusWord.Read(rsp, 0, n));
    }

    [Fact]
    public void Process_OpenSessionThenPlainCommand_RefusedAndSessionClosed()
    {
        var card = new CardManager(CardState.CreateFresh());
        var gate = new PlatformScpGate(card, Keys, new PlatformScpOptions { RequirePlatformScp = false });
        var host = new PlatformScp03Transport(new GateTransport(gate), CryptoRandomSource.Instance);
        host.Open(Keys);
        Assert.True(gate.IsOpen);
        Assert.Equal(0x33, gate.SecurityLevel);

        var rsp = new byte[300];
        int n = gate.Process(Hex.Parse("80CA9F7F00"), rsp);
        Assert.Equal("6982", Hex.Of(rsp, 0, n));
        Assert.False(gate.IsOpen);
    }

    [Fact]
    public void Open_LevelBelowMinimum_Refused()
    {
        var gate = new PlatformScpGate(new CardManager(CardState.CreateFresh()), Keys, new PlatformScpOptions());
        var host = new PlatformScp03Transport(new GateTransport(gate), CryptoRandomSource.Instance);
        var ex = Assert.Throws<SecureChannelException>(() => host.Open(Keys, 0x01));
        Assert.Equal(SecureChannelError.ExternalAuthenticateRejected, ex.Error);
        Assert.False(gate.IsOpen);
    }

    [Fact]
    public void Reset_ClosesSession()
    {
        var gate = new PlatformScpGate(new CardManager(CardState.CreateFresh()), Keys, new PlatformScpOptions());
        var host = new PlatformScp03Transport(new GateTransport(gate), CryptoRandomSource.Instance);
        host.Open(Keys);
        gate.Reset();
        Assert.False(gate.IsOpen);
        var rsp = new byte[300];
        byte[] cmd = Hex.Parse("80CA9F7F00");
        int n = host.Transceive(cmd, 0, cmd.Length, rsp, 0);
        Assert.Equal("6982", Hex.Of(rsp, 0, n));
        Assert.False(host.IsOpen);
    }

    [Fact]
    public void Process_LongResponse_JoinedBeforeWrapping()
    {
        // GET STATUS with Le = 4 on a registry answer longer than that: the card manager answers 61xx, the gate joins it.
        var card = new CardManager(CardState.CreateFresh());
        var gate = new PlatformScpGate(card, Keys, new PlatformScpOptions());
        var host = new PlatformScp03Transport(new GateTransport(gate), CryptoRandomSource.Instance);
        host.Open(Keys);
        var rsp = new byte[1100];
        byte[] cmd = Hex.Parse("80F24002024F0004");
        int n = host.Transceive(cmd, 0, cmd.Length, rsp, 0);
        var direct = new byte[1100];
        int d = new ApduChannel(new GateTransport(new CardManager(CardState.CreateFresh()))).Transmit(cmd, 0, cmd.Length, direct, 0);
        Assert.Equal(Hex.Of(direct, 0, d), Hex.Of(rsp, 0, n));
        Assert.True(n > 4 + 2);
    }

    [Fact]
    public void Process_Se05xPlainSelectWithSessionOpen_EndsSessionAndAnswers()
    {
        // A new run of NXP's middleware starts with a plain SELECT of the applet, then opens its own platform session,
        // whatever the last run left open (ex_sss_boot, sss_se05x_session_open; seen with two jrcpv1 clients in a row).
        VirtualSecureElement se = Se05xWithPlatformScp(new Se05xCardOptions { AppletMajor = 7 });
        PlatformScpGate gate = se.PlatformGate!;
        var host = new PlatformScp03Transport(new GateTransport(gate), CryptoRandomSource.Instance);
        host.Open(Keys);
        Assert.True(gate.IsOpen);

        var rsp = new byte[300];
        int n = gate.Process(Hex.Parse("00A4040010A0000003965453000000010300000000"), rsp);
        Assert.Equal("0702006FFF010B9000", Hex.Of(rsp, 0, n));
        Assert.False(gate.IsOpen);

        var next = new PlatformScp03Transport(new GateTransport(gate), CryptoRandomSource.Instance);
        next.Open(Keys);
        byte[] version = Hex.Parse("8004002000");
        n = next.Transceive(version, 0, version.Length, rsp, 0);
        Assert.Equal("9000", Hex.Of(rsp, n - 2, 2));
    }

    [Fact]
    public void Process_GpCardPlainSelectWithSessionOpen_StillRefused()
    {
        // The GP card keeps its rule: a plain command in an open session is refused and closes it.
        var gate = new PlatformScpGate(new CardManager(CardState.CreateFresh()), Keys, new PlatformScpOptions { RequirePlatformScp = false });
        var host = new PlatformScp03Transport(new GateTransport(gate), CryptoRandomSource.Instance);
        host.Open(Keys);
        var rsp = new byte[300];
        int n = gate.Process(Hex.Parse("00A4040008A000000151000000"), rsp);
        Assert.Equal("6982", Hex.Of(rsp, 0, n));
    }

    [Fact]
    public void InitializeUpdate_Se05x_CardChallengeFromTheCardsRandomSource()
    {
        // Se05xCardOptions.Random is the card's one random source (traces replay with it); i = 60: random challenge.
        VirtualSecureElement se = Se05xWithPlatformScp(new Se05xCardOptions { Random = static b => Array.Fill(b, (byte)0xC5) });
        var rsp = new byte[64];
        int n = se.PlatformGate!.Process(Hex.Parse("8050300008" + "0102030405060708"), rsp);
        Assert.Equal(10 + 3 + 8 + 8 + 2, n);
        Assert.Equal("C5C5C5C5C5C5C5C5", Hex.Of(rsp, 13, 8));
    }

    private static VirtualSecureElement Se05xWithPlatformScp(Se05xCardOptions options) => VirtualSecureElement.Create(
        VirtualSeCard.Se05x, VirtualSeProtocol.Se05xI2c, platformScp: new PlatformScpOptions { Keys = Keys, RequirePlatformScp = false }, se05x: options);

    [Fact]
    public void Create_WithStatePath_KeyFileCreatedOnceAndSharedWithHost()
    {
        string dir = Path.Combine(Path.GetTempPath(), "vse-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string state = Path.Combine(dir, "card.json");
        try
        {
            var first = VirtualSecureElement.Create(VirtualSeProtocol.GpI2c, state, platformScp: new PlatformScpOptions());
            string keyFile = PlatformScpOptions.KeyFileFor(state);
            Assert.Equal(Path.Combine(dir, "card.platform-keys.json"), keyFile);
            Assert.True(File.Exists(keyFile));
            var second = VirtualSecureElement.Create(VirtualSeProtocol.Se05xI2c, state, platformScp: new PlatformScpOptions());
            Assert.Equal(first.PlatformGate!.Keys.ToString(), second.PlatformGate!.Keys.ToString());

            Scp03StaticKeys hostKeys = PlatformKeyStore.Load(keyFile, BouncyCastleAesFactory.Instance);
            using var block = second.CreateHostTransport(new VirtualClock());
            block.Open();
            var host = new PlatformScp03Transport(block, CryptoRandomSource.Instance);
            host.Open(hostKeys);
            Assert.True(second.PlatformGate.IsOpen);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Hands APDUs straight to an APDU processor, without a bus.</summary>
    private sealed class GateTransport(IApduProcessor processor) : IApduTransport
    {
        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset) =>
            processor.Process(command.AsSpan(commandOffset, commandCount), response.AsSpan(responseOffset));
    }
}
