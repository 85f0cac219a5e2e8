using CsCheck;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Drivers.Tests.Scp03;

public class PlatformScp03TransportTests
{
    private static readonly byte[] IsdAid = Hex.Parse("A000000151000000");

    [Theory]
    [InlineData(VirtualSeProtocol.Se05xI2c)]
    [InlineData(VirtualSeProtocol.GpI2c)]
    [InlineData(VirtualSeProtocol.GpSpi)]
    public void Sniff_WrappedSession_NoPlaintextApduOnTheBus(VirtualSeProtocol protocol)
    {
        using var h = new PlatformScp03Harness(protocol);
        ApduChannel channel = h.OpenChannel();
        Assert.True(h.Platform.IsOpen);
        Assert.Equal(0x33, h.Platform.SecurityLevel);
        var rsp = new byte[1100];

        // Expected plain answers, from the virtual card's fresh state (GPC §11.9.3.1 FCI of the ISD).
        int n = channel.Transmit(Hex.Parse("00A4040008A000000151000000"), 0, 13, rsp, 0);
        Assert.Equal("6F108408A000000151000000A5049F6501FF9000", Hex.Of(rsp, 0, n));

        n = channel.Transmit(Hex.Parse("80CA9F7F00"), 0, 5, rsp, 0);
        Assert.Equal(StatusWord.Success, StatusWord.Read(rsp, 0, n));
        Assert.Equal("9F7F2A", Hex.Of(rsp, 0, 3));
        byte[] cplc = rsp.AsSpan(3, 0x2A).ToArray();

        n = channel.Transmit(Hex.Parse("80F24002024F00"), 0, 7, rsp, 0);
        Assert.Equal(StatusWord.Success, StatusWord.Read(rsp, 0, n));
        byte[] status = rsp.AsSpan(0, n - 2).ToArray();

        byte[] secret = new byte[200];
        new Random(7).NextBytes(secret);
        byte[] store = [0x80, 0xE2, 0x80, 0x00, 200, .. secret];
        n = channel.Transmit(store, 0, store.Length, rsp, 0);
        ushort storeSw = StatusWord.Read(rsp, 0, n);

        // The same STORE DATA on a card without platform SCP answers the same.
        var plainSe = VirtualSecureElement.Create(protocol);
        using var plain = plainSe.CreateHostTransport(new VirtualClock());
        plain.Open();
        n = new ApduChannel(plain).Transmit(store, 0, store.Length, rsp, 0);
        Assert.Equal(StatusWord.Read(rsp, 0, n), storeSw);

        Assert.NotEmpty(h.Frames);
        Assert.False(h.AnyFrameContains(IsdAid), "the ISD AID crossed the bus in clear");
        Assert.False(h.AnyFrameContains(Hex.Parse("80CA9F7F")), "the GET DATA header crossed the bus in clear");
        Assert.False(h.AnyFrameContains(Hex.Parse("9F7F2A")), "the CPLC tag crossed the bus in clear");
        Assert.False(h.AnyFrameContains(Hex.Parse("80F24002")), "the GET STATUS header crossed the bus in clear");
        Assert.False(h.AnyFrameContains(Hex.Parse("80E28000")), "the STORE DATA header crossed the bus in clear");
        // Windows of 8 bytes with some variety: runs of zeros also occur in the handshake (diversification data).
        for (int i = 0; i + 8 <= cplc.Length; i++)
        {
            Assert.False(Varied(cplc[i..(i + 8)]) && h.AnyFrameContains(cplc[i..(i + 8)]), $"CPLC bytes {i}.. crossed the bus in clear");
        }

        for (int i = 0; i + 8 <= status.Length; i++)
        {
            Assert.False(Varied(status[i..(i + 8)]) && h.AnyFrameContains(status[i..(i + 8)]), $"GET STATUS bytes {i}.. crossed the bus in clear");
        }

        for (int i = 0; i + 8 <= secret.Length; i++)
        {
            Assert.False(h.AnyFrameContains(secret[i..(i + 8)]), $"STORE DATA bytes {i}.. crossed the bus in clear");
        }
    }

    private static bool Varied(byte[] window) => window.Distinct().Count() >= 3;

    [Theory]
    [InlineData(VirtualSeProtocol.Se05xI2c)]
    [InlineData(VirtualSeProtocol.GpSpi)]
    public void Open_WrongPlatformKeys_CardCryptogramMismatchAndNothingSentAfter(VirtualSeProtocol protocol)
    {
        using var h = new PlatformScp03Harness(protocol);
        var ex = Assert.Throws<SecureChannelException>(() => h.Platform.Open(PlatformScp03Harness.RandomKeys(0x30)));
        Assert.Equal(SecureChannelError.CardCryptogramMismatch, ex.Error);
        Assert.False(h.Platform.IsOpen);

        int before = h.HostFrames;
        byte[] select = Hex.Parse("00A4040008A000000151000000");
        var closed = Assert.Throws<SecureChannelException>(() => h.Platform.Transceive(select, 0, select.Length, new byte[300], 0));
        Assert.Equal(SecureChannelError.InvalidState, closed.Error);
        Assert.Equal(before, h.HostFrames);
        Assert.False(h.AnyFrameContains(IsdAid));
    }

    [Fact]
    public void Open_OtherKeyVersion_CardRefusesPlainInitializeUpdate()
    {
        using var h = new PlatformScp03Harness(VirtualSeProtocol.GpI2c);
        var ex = Assert.Throws<SecureChannelException>(() => h.Platform.Open(PlatformScp03Harness.RandomKeys(0x31)));
        Assert.Equal(SecureChannelError.InitializeUpdateRejected, ex.Error);
        Assert.False(h.Platform.IsOpen);
    }

    [Fact]
    public void Transceive_TamperedCommand_CardClosesAndNextUseReopens()
    {
        using var h = new PlatformScp03Harness(VirtualSeProtocol.Se05xI2c);
        h.Platform.Open(h.CardKeys);
        byte[] getData = Hex.Parse("80CA9F7F00");
        var rsp = new byte[300];

        h.Tamper.FlipCommandByte = 6; // inside the wrapped data
        int n = h.Platform.Transceive(getData, 0, getData.Length, rsp, 0);
        Assert.Equal("6982", Hex.Of(rsp, 0, n));
        Assert.False(h.Platform.IsOpen);
        Assert.False(h.Se.PlatformGate!.IsOpen);

        // The next use opens a new session (a fresh handshake) before sending the command; the card answers again.
        n = h.Platform.Transceive(getData, 0, getData.Length, rsp, 0);
        Assert.Equal(StatusWord.Success, StatusWord.Read(rsp, 0, n));
        Assert.True(h.Platform.IsOpen);
        Assert.True(h.Se.PlatformGate!.IsOpen);

        // An explicit Close is final: nothing is sent until Open.
        h.Platform.Close();
        int before = h.HostFrames;
        var ex = Assert.Throws<SecureChannelException>(() => h.Platform.Transceive(getData, 0, getData.Length, rsp, 0));
        Assert.Equal(SecureChannelError.InvalidState, ex.Error);
        Assert.Equal(before, h.HostFrames);
    }

    [Fact]
    public void Transceive_TamperedResponse_ResponseMacMismatchAndClosed()
    {
        using var h = new PlatformScp03Harness(VirtualSeProtocol.GpSpi);
        h.Platform.Open(h.CardKeys);
        byte[] getData = Hex.Parse("80CA9F7F00");
        var rsp = new byte[300];

        h.Tamper.FlipResponseByte = 3;
        var ex = Assert.Throws<SecureChannelException>(() => h.Platform.Transceive(getData, 0, getData.Length, rsp, 0));
        Assert.Equal(SecureChannelError.ResponseMacMismatch, ex.Error);
        Assert.False(h.Platform.IsOpen);
        var again = Assert.Throws<SecureChannelException>(() => h.Platform.Transceive(getData, 0, getData.Length, rsp, 0));
        Assert.Equal(SecureChannelError.InvalidState, again.Error);
    }

    [Theory]
    [InlineData("80E28000000100")] // case 3E: 256 data bytes follow
    [InlineData("80CA9F7F000000")] // case 2E: GET DATA CPLC with Le 0000
    public void Transceive_ExtendedCommand_GoesWrappedInExtendedFormAndIsAnsweredAsPlain(string header)
    {
        // NXP's SE05x middleware sends extended APDUs under platform SCP03 (se05x_tlv.c se05x_Transform_scp); the GP card
        // answers the unwrapped command exactly as it answers the plain one.
        using var h = new PlatformScp03Harness(VirtualSeProtocol.GpI2c);
        h.Platform.Open(h.CardKeys);
        byte[] extended = header.EndsWith("0100") ? [.. Hex.Parse(header), .. new byte[256]] : Hex.Parse(header);
        var rsp = new byte[300];
        int n = h.Platform.Transceive(extended, 0, extended.Length, rsp, 0);

        var plainSe = VirtualSecureElement.Create(VirtualSeProtocol.GpI2c);
        using var plain = plainSe.CreateHostTransport(new VirtualClock());
        plain.Open();
        var expected = new byte[300];
        int m = plain.Transceive(extended, 0, extended.Length, expected, 0);
        Assert.Equal(Hex.Of(expected, 0, m), Hex.Of(rsp, 0, n));
        Assert.Equal(StatusWord.Read(rsp, 0, n) != 0x6982, h.Platform.IsOpen);
    }

    [Fact]
    public void MaxCommandData_Level33_NestedCommandOfThatSizeFitsToo()
    {
        // A nested command carries its own class byte in the data field: the limit leaves room for it.
        using var h = new PlatformScp03Harness(VirtualSeProtocol.GpI2c);
        h.Platform.Open(h.CardKeys);
        byte[] longest = [0x84, 0x3C, 0x00, 0x00, 238, .. new byte[238]];
        var rsp = new byte[300];

        int n = h.Platform.Transceive(longest, 0, longest.Length, rsp, 0);

        Assert.Equal("6982", Hex.Of(rsp, 0, n)); // reached the ISD with its SM bit and no tenant session: refused there
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(19)]
    public void Transceive_NestedSecuredCommandOnAnyChannel_ReachesThatChannelWithItsSmBit(int channel)
    {
        using var h = new PlatformScp03Harness(VirtualSeProtocol.GpSpi);
        h.Platform.Open(h.CardKeys);
        var rsp = new byte[300];
        byte[] open = Hex.Parse($"007000{channel:X2}");
        Assert.Equal("9000", Hex.Of(rsp, 0, h.Platform.Transceive(open, 0, open.Length, rsp, 0)));

        // Plain on that channel: the ISD answers. Nested (SM bit set): it arrives on that channel with the bit (6982 from the ISD).
        byte[] plainGet = Hex.Parse($"{GpClassByte.OnChannel(0x80, channel):X2}CA9F7F00");
        int n = h.Platform.Transceive(plainGet, 0, plainGet.Length, rsp, 0);
        Assert.Equal("9000", Hex.Of(rsp, n - 2, 2));
        byte[] nested = Hex.Parse($"{GpClassByte.OnChannel(0x84, channel):X2}CA9F7F080102030405060708");
        Assert.Equal("6982", Hex.Of(rsp, 0, h.Platform.Transceive(nested, 0, nested.Length, rsp, 0)));

        // On a channel that is not open the card answers 6881: the nested command kept its channel.
        int other = channel == 19 ? 18 : channel + 1;
        byte[] elsewhere = Hex.Parse($"{GpClassByte.OnChannel(0x84, other):X2}CA9F7F080102030405060708");
        Assert.Equal("6881", Hex.Of(rsp, 0, h.Platform.Transceive(elsewhere, 0, elsewhere.Length, rsp, 0)));
    }

    [Fact]
    public void Transceive_NestedSecuredCommand_ReachesCardWithItsSmBit()
    {
        using var h = new PlatformScp03Harness(VirtualSeProtocol.Se05xI2c);
        h.Platform.Open(h.CardKeys);

        // A tenant-wrapped command (CLA 84): the ISD has no tenant session, so it answers 6982 for the SM bit it sees,
        // which proves the bit survived the platform unwrap (the plain 80 command gives 9000).
        byte[] nested = Hex.Parse("84CA9F7F080102030405060708");
        var rsp = new byte[300];
        int n = h.Platform.Transceive(nested, 0, nested.Length, rsp, 0);
        Assert.Equal("6982", Hex.Of(rsp, 0, n));
        Assert.False(h.Platform.IsOpen);

        // An inner 6982 cannot be told from the card dropping the platform session: the next command reopens it first.
        byte[] plainGet = Hex.Parse("80CA9F7F00");
        n = h.Platform.Transceive(plainGet, 0, plainGet.Length, rsp, 0);
        Assert.Equal("9000", Hex.Of(rsp, n - 2, 2));
        Assert.True(h.Platform.IsOpen);

        byte[] marked = Hex.Parse("88CA9F7F00");
        Assert.Equal(SecureChannelError.InvalidCommand,
            Assert.Throws<SecureChannelException>(() => h.Platform.Transceive(marked, 0, marked.Length, rsp, 0)).Error);
    }

    [Fact]
    public void Open_LevelNone_Refused()
    {
        using var h = new PlatformScp03Harness(VirtualSeProtocol.GpI2c);
        Assert.Equal(SecureChannelError.InvalidSecurityLevel,
            Assert.Throws<SecureChannelException>(() => h.Platform.Open(h.CardKeys, 0x00)).Error);
    }

    [Fact]
    public void MaxCommandData_Level33_FitsOneShortApdu()
    {
        using var h = new PlatformScp03Harness(VirtualSeProtocol.GpI2c);
        ApduChannel channel = h.OpenChannel();
        Assert.Equal(238, h.Platform.MaxCommandData);
        byte[] longest = [0x80, 0x3C, 0x00, 0x00, 238, .. new byte[238]];
        var rsp = new byte[300];
        int n = channel.Transmit(longest, 0, longest.Length, rsp, 0);
        Assert.True(n >= 2);
        Assert.True(h.Platform.IsOpen);
    }

    [Fact]
    public void Property_RandomCommands_SameResponsesWrappedAndDirect()
    {
        byte[] insSet = [0xA4, 0xCA, 0xCB, 0xF2, 0xC0, 0x70, 0xE2, 0xD8, 0x12, 0xFF];
        byte[] claSet = [0x00, 0x80, 0x01, 0x81, 0x02, 0x40, 0xC0];
        var genCommand = Gen.Select(Gen.Int[0, claSet.Length - 1], Gen.Int[0, insSet.Length - 1], Gen.Byte, Gen.Byte,
            Gen.Byte.Array[0, 250], Gen.Int[-1, 255]);
        using var h = new PlatformScp03Harness(VirtualSeProtocol.Se05xI2c);
        ApduChannel wrapped = h.OpenChannel();
        var directSe = VirtualSecureElement.Create(VirtualSeProtocol.Se05xI2c);
        using var directBlock = directSe.CreateHostTransport(new VirtualClock());
        directBlock.Open();
        var direct = new ApduChannel(directBlock, h.Platform.MaxCommandData, 1024, 32);
        var a = new byte[1100];
        var b = new byte[1100];

        genCommand.Sample(t =>
        {
            var (cla, ins, p1, p2, data, le) = t;
            int length = CommandApdu.Write(claSet[cla], insSet[ins], p1, p2, data, 0, data.Length, le < 0 ? 0 : le == 0 ? 256 : le,
                ApduLengthForm.Short, a, 0);
            byte[] command = a[..length];
            int m = direct.Transmit(command, 0, length, b, 0);
            int n;
            try
            {
                n = wrapped.Transmit(command, 0, length, a, 0);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{Hex.Of(command)} direct {Hex.Of(b, 0, m)}: {e.Message}");
            }

            Assert.Equal(Hex.Of(b, 0, m), Hex.Of(a, 0, n));
            Assert.Equal(StatusWord.Read(a, 0, n) != 0x6982, h.Platform.IsOpen);
        }, iter: 300, threads: 1); // one card, one session: samples run in order
    }
}
