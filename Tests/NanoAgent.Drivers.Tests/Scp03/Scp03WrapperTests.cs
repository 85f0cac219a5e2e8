using CsCheck;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Tests.Scp03;

public class Scp03WrapperTests
{
    [Fact]
    public void Wrap_CmacOnly_AppendsEightByteMacOverChainingValueAndModifiedHeader()
    {
        var keys = SessionKeys();
        byte[] chaining = Hex.Parse("000102030405060708090A0B0C0D0E0F");
        var wrapper = new Scp03Wrapper(keys, 0x01, chaining, 0);
        byte[] command = Hex.Parse("80CA0066 02 AABB 00");
        byte[] output = new byte[64];

        int n = wrapper.Wrap(command, 0, command.Length, output, 0);

        // Amd D §6.2.4: CMAC(S-MAC, chaining | 84 CA 00 66 0A | AABB), first 8 bytes; Le follows the MAC.
        var cmac = new AesCmac(new BouncyCastleAes(keys.MacKey, 0, 16));
        byte[] input = Hex.Parse("000102030405060708090A0B0C0D0E0F 84CA00660A AABB");
        byte[] mac = new byte[16];
        cmac.Compute(input, 0, input.Length, mac, 0);
        Assert.Equal("84CA00660AAABB" + Hex.Of(mac, 0, 8) + "00", Hex.Of(output, 0, n));
        byte[] next = new byte[16];
        wrapper.GetChainingValue(next, 0);
        Assert.Equal(Hex.Of(mac), Hex.Of(next));
    }

    [Fact]
    public void Wrap_InPlace_SameBufferGivesSameBytes()
    {
        byte[] command = Hex.Parse("80E2900005 0102030405 00");
        byte[] separate = new byte[64];
        int n = new Scp03Wrapper(SessionKeys(), 0x03, new byte[16], 0).Wrap(command, 0, command.Length, separate, 0);
        byte[] inPlace = new byte[64];
        command.CopyTo(inPlace, 3);

        int m = new Scp03Wrapper(SessionKeys(), 0x03, new byte[16], 0).Wrap(inPlace, 3, command.Length, inPlace, 3);

        Assert.Equal(Hex.Of(separate, 0, n), Hex.Of(inPlace, 3, m));
    }

    [Theory]
    [InlineData("00A4", SecureChannelError.InvalidCommand)]
    [InlineData("84CA006600", SecureChannelError.InvalidCommand)]
    [InlineData("80CA0066 05 AABB", SecureChannelError.InvalidCommand)]
    public void Wrap_BadCommands_Throw(string hex, SecureChannelError expected)
    {
        byte[] command = Hex.Parse(hex);
        var ex = Assert.Throws<SecureChannelException>(() =>
            new Scp03Wrapper(SessionKeys(), 0x03, new byte[16], 0).Wrap(command, 0, command.Length, new byte[300], 0));
        Assert.Equal(expected, ex.Error);
    }

    [Fact]
    public void Wrap_DataTooLongAfterPaddingAndMac_ThrowsCommandTooLongAndKeepsCounter()
    {
        var wrapper = new Scp03Wrapper(SessionKeys(), 0x03, new byte[16], 0);
        byte[] command = new byte[5 + 240];
        command[0] = 0x80;
        command[4] = 240;

        var ex = Assert.Throws<SecureChannelException>(() => wrapper.Wrap(command, 0, command.Length, new byte[300], 0));

        Assert.Equal(SecureChannelError.CommandTooLong, ex.Error);
        byte[] counter = new byte[16];
        wrapper.GetCounter(counter, 0);
        Assert.Equal(new byte[16], counter);
    }

    [Fact]
    public void Wrap_OutputTooSmall_ThrowsBufferTooSmall()
    {
        var ex = Assert.Throws<SecureChannelException>(() =>
            new Scp03Wrapper(SessionKeys(), 0x01, new byte[16], 0).Wrap(Hex.Parse("80CA006600"), 0, 5, new byte[10], 0));
        Assert.Equal(SecureChannelError.BufferTooSmall, ex.Error);
    }

    [Theory]
    [InlineData("01 6A82", SecureChannelError.InvalidResponse)]
    [InlineData("9000", SecureChannelError.ResponseTooShort)]
    [InlineData("0102030405060708 9000", SecureChannelError.ResponseMacMismatch)]
    [InlineData("00", SecureChannelError.ResponseTooShort)]
    public void Unwrap_BadResponses_Throw(string hex, SecureChannelError expected)
    {
        byte[] response = Hex.Parse(hex);
        var ex = Assert.Throws<SecureChannelException>(() =>
            new Scp03Wrapper(SessionKeys(), 0x33, new byte[16], 0).Unwrap(response, 0, response.Length, new byte[300], 0));
        Assert.Equal(expected, ex.Error);
    }

    [Fact]
    public void Unwrap_ErrorStatusWordAlone_ReturnsIt()
    {
        byte[] output = new byte[4];
        int n = new Scp03Wrapper(SessionKeys(), 0x33, new byte[16], 0).Unwrap(Hex.Parse("6982"), 0, 2, output, 0);
        Assert.Equal("6982", Hex.Of(output, 0, n));
    }

    [Fact]
    public void Unwrap_RandomBytesAtEveryLevel_ThrowOnlySecureChannelException()
    {
        Gen.Select(Gen.Byte.Array[0, 100], Gen.Int[0, 5].Select(i => new byte[] { 0x00, 0x01, 0x03, 0x11, 0x13, 0x33 }[i])).Sample((bytes, level) =>
        {
            try
            {
                new Scp03Wrapper(SessionKeys(), level, new byte[16], 0).Unwrap(bytes, 0, bytes.Length, new byte[300], 0);
            }
            catch (SecureChannelException)
            {
            }
        }, iter: 2000);
    }

    private static Scp03SessionKeys SessionKeys() =>
        Scp03SessionKeys.Derive(Scp03HostSessionTests.Keys(0x30), Hex.Parse(Scp03KdfTests.HostChallenge), 0, Hex.Parse(Scp03KdfTests.CardChallenge), 0, 8);
}
