using CsCheck;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Scp03;

namespace NanoAgent.VirtualSe.Tests.Scp03;

public class Scp03CardSessionTests
{
    public static TheoryData<byte, byte> Levels => new()
    {
        { 0x70, 0x00 }, { 0x70, 0x01 }, { 0x70, 0x03 }, { 0x70, 0x11 }, { 0x70, 0x13 }, { 0x70, 0x33 },
        { 0x60, 0x33 }, { 0x71, 0x01 }, { 0x71, 0x33 }, { 0x61, 0x13 },
    };

    [Theory]
    [MemberData(nameof(Levels))]
    public void Exchange_EveryLevel_ManyCommandsRoundTripWithCountersInStep(byte iParameter, byte level)
    {
        var pair = new Scp03Pair(iParameter).Open(level);
        var rng = new Random(level * 31 + iParameter);
        for (int i = 0; i < 60; i++)
        {
            byte[] command = RandomCommand(rng, 200);
            byte[] data = new byte[rng.Next(0, 200)];
            rng.NextBytes(data);

            byte[] response = pair.Exchange(command, data, 0x9000);

            Assert.Equal(Convert.ToHexString(data) + "9000", Convert.ToHexString(response));
        }

        byte[] counter = new byte[16];
        pair.Host.Wrapper!.GetCounter(counter, 0);
        Assert.Equal(level == 0 ? 0 : 60, counter[15]);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    public void Exchange_Aes192And256Keys_RoundTrip(int keyLength)
    {
        var pair = new Scp03Pair(0x70, keyLength).Open(0x33);
        byte[] response = pair.Exchange(Convert.FromHexString("80CA00660401020304"), [0xAB, 0xCD], 0x9000);
        Assert.Equal("ABCD9000", Convert.ToHexString(response));
    }

    [Fact]
    public void WrapResponse_ErrorStatusWord_SendsStatusWordAloneAndHostAccepts()
    {
        var pair = new Scp03Pair().Open(0x33);
        Assert.Equal("6A82", Convert.ToHexString(pair.Exchange(Convert.FromHexString("80CA006600"), [1, 2, 3], 0x6A82)));
        Assert.Equal("01029000", Convert.ToHexString(pair.Exchange(Convert.FromHexString("80CA006600"), [1, 2], 0x9000)));
    }

    [Fact]
    public void ProcessInitializeUpdate_PseudoRandom_UsesNextCounterAndPersistsIt()
    {
        var pair = new Scp03Pair(0x70, store: new InMemorySequenceCounterStore(0x29));
        pair.Open(0x01);

        Assert.Equal(0x2A, pair.Host.SequenceCounter);
        Assert.Equal(0x2A, pair.Store.Load());
    }

    [Fact]
    public void ForPrecomputed_AgainstCard_ScriptBuiltOfflineIsAccepted()
    {
        var pair = new Scp03Pair(0x70, store: new InMemorySequenceCounterStore(6));
        byte[] aid = Convert.FromHexString("A000000151000000");
        var backend = Scp03HostSession.ForPrecomputed(pair.Keys, 7, aid, 0, aid.Length, 0x70, new byte[8], 0);
        byte[][] script = new byte[12][];
        byte[] buffer = new byte[300];
        script[0] = buffer[..backend.BuildInitializeUpdate(buffer, 0)];
        script[1] = buffer[..backend.BuildExternalAuthenticate(0x13, buffer, 0)];
        for (int i = 2; i < script.Length; i++)
        {
            byte[] plain = Convert.FromHexString("80E2900003DF01" + i.ToString("X2"));
            script[i] = buffer[..backend.Wrap(plain, 0, plain.Length, buffer, 0)];
        }

        // The device relays the script; the card never talked to the back end.
        byte[] rsp = new byte[100];
        Assert.Equal(34, pair.Card.ProcessInitializeUpdate(script[0], 0, script[0].Length, rsp, 0));
        Assert.Equal("9000", Convert.ToHexString(rsp, 0, pair.Card.ProcessExternalAuthenticate(script[1], 0, script[1].Length, rsp, 0)));
        for (int i = 2; i < script.Length; i++)
        {
            Assert.True(pair.Card.TryUnwrapCommand(script[i], 0, script[i].Length, buffer, 0, out int n, out _));
            Assert.Equal("80E2900003DF01" + i.ToString("X2"), Convert.ToHexString(buffer, 0, n));
        }
    }

    [Fact]
    public void TryUnwrapCommand_AnyFlippedBit_RejectedWith6982AndSessionClosed()
    {
        Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 7]).Sample((position, bit) =>
        {
            var pair = new Scp03Pair().Open(0x33);
            byte[] command = Convert.FromHexString("80E29000 11 DF0102030405060708090A0B0C0D0E0F10 00".Replace(" ", ""));
            byte[] wire = new byte[300];
            int n = pair.Host.Wrap(command, 0, command.Length, wire, 0);

            // Every byte but Le: Amd D §6.2.4 MACs the header, Lc and data; Le is outside the C-MAC. So are the channel bits
            // of CLA (b2-b1 here), which the MAC takes as zero: changing them moves the command to another channel (below).
            int at = position % (n - 1);
            if (at == 0 && bit < 2)
            {
                bit += 2;
            }

            wire[at] ^= (byte)(1 << bit);

            bool ok = pair.Card.TryUnwrapCommand(wire, 0, n, new byte[300], 0, out _, out ushort sw);

            Assert.False(ok);
            Assert.True(sw == 0x6982 || sw == 0x6700, $"{sw:X4}");
            Assert.Equal(Scp03CardState.Closed, pair.Card.State);
        }, iter: 300);
    }

    [Fact]
    public void Unwrap_AnyFlippedBitInResponse_RejectedAndHostStateUnchanged()
    {
        Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 7]).Sample((position, bit) =>
        {
            var pair = new Scp03Pair().Open(0x33);
            byte[] command = Convert.FromHexString("80CA00FE00");
            byte[] wire = new byte[300];
            int n = pair.Host.Wrap(command, 0, command.Length, wire, 0);
            Assert.True(pair.Card.TryUnwrapCommand(wire, 0, n, new byte[300], 0, out _, out _));
            byte[] response = new byte[300];
            int r = pair.Card.WrapResponse([0xDE, 0xAD, 0xBE, 0xEF], 0, 4, 0x9000, response, 0);
            byte[] before = new byte[16];
            pair.Host.Wrapper!.GetChainingValue(before, 0);
            byte[] tampered = response[..r];
            tampered[position % r] ^= (byte)(1 << bit);

            Assert.Throws<SecureChannelException>(() => pair.Host.Unwrap(tampered, 0, r, new byte[300], 0));

            byte[] after = new byte[16];
            pair.Host.Wrapper.GetChainingValue(after, 0);
            Assert.Equal(before, after);
            byte[] output = new byte[300];
            int m = pair.Host.Unwrap(response, 0, r, output, 0);
            Assert.Equal("DEADBEEF9000", Convert.ToHexString(output, 0, m));
            Assert.Equal("01029000", Convert.ToHexString(pair.Exchange(Convert.FromHexString("80CA006600"), [1, 2], 0x9000)));
        }, iter: 300);
    }

    [Fact]
    public void ProcessInitializeUpdateResponse_HostWithOtherKeys_CardCryptogramMismatch()
    {
        var card = new Scp03Pair();
        var host = new Scp03Pair(0x70, 32).Host;
        byte[] apdu = new byte[64], rsp = new byte[64];
        int n = host.BuildInitializeUpdate(new byte[8], 0, apdu, 0);
        int r = card.Card.ProcessInitializeUpdate(apdu, 0, n, rsp, 0);

        var ex = Assert.Throws<SecureChannelException>(() => host.ProcessInitializeUpdateResponse(rsp, 0, r));

        Assert.Equal(SecureChannelError.CardCryptogramMismatch, ex.Error);
    }

    [Fact]
    public void ProcessExternalAuthenticate_FlippedHostCryptogram_RejectedWith6300AndClosed()
    {
        var pair = new Scp03Pair();
        byte[] apdu = new byte[64], rsp = new byte[64];
        int n = pair.Host.BuildInitializeUpdate(new byte[8], 0, apdu, 0);
        int r = pair.Card.ProcessInitializeUpdate(apdu, 0, n, rsp, 0);
        pair.Host.ProcessInitializeUpdateResponse(rsp, 0, r);
        n = pair.Host.BuildExternalAuthenticate(0x01, apdu, 0);
        apdu[7] ^= 0x01;

        Assert.Equal("6300", Convert.ToHexString(rsp, 0, pair.Card.ProcessExternalAuthenticate(apdu, 0, n, rsp, 0)));
        Assert.Equal(Scp03CardState.Closed, pair.Card.State);
    }

    [Fact]
    public void ProcessExternalAuthenticate_FlippedMac_RejectedWith6982()
    {
        var pair = new Scp03Pair();
        byte[] apdu = new byte[64], rsp = new byte[64];
        int n = pair.Host.BuildInitializeUpdate(new byte[8], 0, apdu, 0);
        int r = pair.Card.ProcessInitializeUpdate(apdu, 0, n, rsp, 0);
        pair.Host.ProcessInitializeUpdateResponse(rsp, 0, r);
        n = pair.Host.BuildExternalAuthenticate(0x33, apdu, 0);
        apdu[n - 1] ^= 0x80;

        Assert.Equal("6982", Convert.ToHexString(rsp, 0, pair.Card.ProcessExternalAuthenticate(apdu, 0, n, rsp, 0)));
    }

    [Fact]
    public void WrapThenUnwrap_RandomCommands_CardGetsOriginal()
    {
        var pair = new Scp03Pair().Open(0x33);
        byte[] wire = new byte[400], plain = new byte[400];
        Gen.Select(Gen.Byte, Gen.Byte, Gen.Byte, Gen.Byte.Array[0, 200], Gen.Int[-1, 256]).Sample((ins, p1, p2, data, le) =>
        {
            byte[] command = BuildCommand(0x80, ins, p1, p2, data, le);
            int n = pair.Host.Wrap(command, 0, command.Length, wire, 0);
            Assert.True(pair.Card.TryUnwrapCommand(wire, 0, n, plain, 0, out int length, out _));
            Assert.Equal(Convert.ToHexString(command), Convert.ToHexString(plain, 0, length));
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void TryUnwrapCommand_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var pair = new Scp03Pair().Open(0x33);
            bool ok = pair.Card.TryUnwrapCommand(bytes, 0, bytes.Length, new byte[300], 0, out _, out ushort sw);
            Assert.True(ok || sw != 0x9000);
        }, iter: 500);
    }

    [Fact]
    public void Unwrap_RandomBytes_ThrowOnlySecureChannelException()
    {
        var pair = new Scp03Pair().Open(0x33);
        pair.Host.Wrap(Convert.FromHexString("80CA006600"), 0, 5, new byte[64], 0);
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            try
            {
                pair.Host.Unwrap(bytes, 0, bytes.Length, new byte[300], 0);
            }
            catch (SecureChannelException)
            {
            }
        }, iter: 2000, threads: 1);
    }

    private static byte[] RandomCommand(Random rng, int maxData)
    {
        byte[] data = new byte[rng.Next(0, maxData)];
        rng.NextBytes(data);
        return BuildCommand((byte)(0x80 | rng.Next(0, 4)), (byte)rng.Next(0, 256), (byte)rng.Next(0, 256), (byte)rng.Next(0, 256), data, rng.Next(-1, 257));
    }

    private static byte[] BuildCommand(byte cla, byte ins, byte p1, byte p2, byte[] data, int le)
    {
        var apdu = new List<byte> { cla, ins, p1, p2 };
        if (data.Length > 0)
        {
            apdu.Add((byte)data.Length);
            apdu.AddRange(data);
        }

        if (le >= 1)
        {
            apdu.Add((byte)(le == 256 ? 0 : le));
        }

        return apdu.ToArray();
    }
}
