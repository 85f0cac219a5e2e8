using CsCheck;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Scp03;

namespace NanoAgent.VirtualSe.Tests.Scp03;

/// <summary>
/// Extended APDUs through SCP03 as NXP's SE05x middleware sends them (se05x_tlv.c se05x_Transform_scp): CLA|04, Lc
/// <c>00 hh ll</c> covering data and C-MAC and MACed as three bytes, Le <c>00 00</c> after the C-MAC. Host and card sides
/// agree on every command, with and without the SE050 rule that only commands with data advance the counter.
/// </summary>
public class Scp03ExtendedApduTests
{
    [Fact]
    public void Wrap_ExtendedReadObject_HeaderLcAndLeAsNxpSendsThem()
    {
        var pair = new Scp03Pair(0x60).Open(0x33);
        byte[] plain = Hex.Parse("80020000 000006 410430000001 0000");
        var wire = new byte[64];
        int n = pair.Host.Wrap(plain, 0, plain.Length, wire, 0);

        // 6 data bytes pad to 16, plus an 8-byte C-MAC: Lc 00 00 18; the Le follows the C-MAC.
        Assert.Equal(4 + 3 + 16 + 8 + 2, n);
        Assert.Equal("84020000000018", Hex.Of(wire, 0, 7));
        Assert.Equal("0000", Hex.Of(wire, n - 2, 2));
        var back = new byte[64];
        Assert.True(pair.Card.TryUnwrapCommand(wire, 0, n, back, 0, out int length, out _));
        Assert.Equal(Hex.Of(plain), Hex.Of(back, 0, length));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RandomShortAndExtendedCommands_RoundTrip(bool dataCommandsOnly)
    {
        Gen.Select(Gen.Byte.Array[0, 600].Array[1, 8], Gen.Bool.Array[8], Gen.Bool.Array[8]).Sample((payloads, extended, withLe) =>
        {
            byte[] k = new byte[16];
            var keys = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x0B, k);
            var card = new Scp03CardSession(keys, new Scp03CardOptions { IParameter = 0x60, CountCommandsWithDataOnly = dataCommandsOnly });
            var host = new Scp03HostSession(keys, 8);
            var apdu = new byte[64];
            var rsp = new byte[64];
            int n = host.BuildInitializeUpdate(new byte[8], 0, apdu, 0);
            host.ProcessInitializeUpdateResponse(rsp, 0, card.ProcessInitializeUpdate(apdu, 0, n, rsp, 0));
            n = host.BuildExternalAuthenticate(0x33, apdu, 0);
            host.ProcessExternalAuthenticateResponse(rsp, 0, card.ProcessExternalAuthenticate(apdu, 0, n, rsp, 0));
            host.Wrapper.CountsCommandsWithDataOnly = dataCommandsOnly;

            for (int i = 0; i < payloads.Length; i++)
            {
                byte[] data = payloads[i];
                bool ext = extended[i] || data.Length > 200;
                byte[] command = ext
                    ? [0x80, 0x03, 0x0D, 0x45, .. (data.Length > 0 ? new byte[] { 0, (byte)(data.Length >> 8), (byte)data.Length } : withLe[i] ? [0] : []), .. data, .. (withLe[i] ? new byte[] { 0, 0 } : [])]
                    : [0x80, 0x03, 0x0D, 0x45, .. (data.Length > 0 ? new byte[] { (byte)data.Length } : []), .. data, .. (withLe[i] ? new byte[] { 0 } : [])];
                if (ext && data.Length == 0 && !withLe[i])
                {
                    continue; // no such extended form: it would be a case 1 command
                }

                var wire = new byte[800];
                n = host.Wrap(command, 0, command.Length, wire, 0);
                var plain = new byte[800];
                Assert.True(card.TryUnwrapCommand(wire, 0, n, plain, 0, out int length, out ushort sw), $"card refused with {sw:X4}");
                Assert.Equal(Hex.Of(command), Hex.Of(plain, 0, length));

                byte[] answer = data.Length > 0 ? data[..Math.Min(data.Length, 100)] : [];
                var wrapped = new byte[800];
                int r = card.WrapResponse(answer, 0, answer.Length, 0x9000, wrapped, 0);
                var back = new byte[800];
                int m = host.Unwrap(wrapped, 0, r, back, 0);
                Assert.Equal(Hex.Of(answer) + "9000", Hex.Of(back, 0, m));
            }
        }, iter: 200);
    }
}
