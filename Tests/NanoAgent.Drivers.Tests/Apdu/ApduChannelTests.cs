using CsCheck;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Tests.Apdu;

public class ApduChannelTests
{
    private static (string Response, ScriptedApduTransport Card) Run(string command, params string[] responses)
    {
        var card = new ScriptedApduTransport(responses);
        var channel = new ApduChannel(card);
        byte[] cmd = Hex.Parse(command);
        byte[] rsp = new byte[1024];
        int n = channel.Transmit(cmd, 0, cmd.Length, rsp, 0);
        Assert.Equal(0, card.Remaining);
        return (Hex.Of(rsp, 0, n), card);
    }

    [Fact]
    public void Transmit_PlainSuccess_SendsCommandUnchanged()
    {
        // GPC v2.3.1 §11.9: SELECT of the ISD; FCI 6F 10 ... (see BerTlvReaderTests).
        var (rsp, card) = Run("00A4040008A000000151000000 00", "6F108408A000000151000000A5049F6501FF 9000");
        Assert.Equal(new[] { "00A4040008A00000015100000000" }, card.Sent);
        Assert.Equal("6F108408A000000151000000A5049F6501FF9000", rsp);
    }

    [Fact]
    public void Transmit_61xxThreeRounds_JoinsDataWithGetResponse()
    {
        // ISO/IEC 7816-4 §5.6 (61xx) and §7.6.1 (GET RESPONSE, Le = SW2, 00 = 256).
        var (rsp, card) = Run("80CA9F7F00", "AABB 6103", "CCDDEE 6100", "11 6101", "FF 9000");
        Assert.Equal(new[] { "80CA9F7F00", "00C0000003", "00C0000000", "00C0000001" }, card.Sent);
        Assert.Equal("AABBCCDDEE11FF9000", rsp);
    }

    [Theory]
    [InlineData("86CA00FE00", "02")]
    [InlineData("C1CA00FE00", "41")]
    [InlineData("CFCA00FE00", "4F")]
    public void Transmit_61xxOnLogicalChannel_GetResponseUsesThatChannel(string command, string getResponseCla)
    {
        var (rsp, card) = Run(command, "6102", "0102 9000");
        Assert.Equal(getResponseCla + "C0000002", card.Sent[1]);
        Assert.Equal("01029000", rsp);
    }

    [Fact]
    public void Transmit_FinalWarningAfterGetResponse_KeepsWarning()
    {
        var (rsp, _) = Run("00B0000000", "AA 6101", "BB 6282");
        Assert.Equal("AABB6282", rsp);
    }

    [Fact]
    public void Transmit_6Cxx_ReissuesSameCommandWithExactLe()
    {
        // ISO/IEC 7816-4 §5.6 Table 6: 6Cxx, wrong Le field, SW2 = exact number of available bytes.
        var (rsp, card) = Run("00B0000000", "6C04", "01020304 9000");
        Assert.Equal(new[] { "00B0000000", "00B0000004" }, card.Sent);
        Assert.Equal("010203049000", rsp);
    }

    [Fact]
    public void Transmit_6CxxThen61xx_FollowsBoth()
    {
        var (rsp, card) = Run("00CB3FFF03 5C015E 00", "6C02", "AABB 6101", "CC 9000");
        Assert.Equal(new[] { "00CB3FFF035C015E00", "00CB3FFF035C015E02", "00C0000001" }, card.Sent);
        Assert.Equal("AABBCC9000", rsp);
    }

    [Fact]
    public void Transmit_6CxxTwice_ThrowsTooManyRounds()
    {
        var card = new ScriptedApduTransport("6C04", "6C05");
        var ex = Assert.Throws<ApduException>(() => Send(new ApduChannel(card), "00B0000000"));
        Assert.Equal(ApduError.TooManyRounds, ex.Error);
    }

    [Fact]
    public void Transmit_Endless61xx_ThrowsTooManyRoundsAfterLimit()
    {
        var card = new ScriptedApduTransport(_ => Hex.Parse("6110"));
        var channel = new ApduChannel(card, 255, 256, maxRounds: 5);
        var ex = Assert.Throws<ApduException>(() => Send(channel, "00B0000000"));
        Assert.Equal(ApduError.TooManyRounds, ex.Error);
        Assert.Equal(6, card.Sent.Count);
    }

    [Fact]
    public void Transmit_OneByteResponse_ThrowsResponseTooShort()
    {
        var card = new ScriptedApduTransport("90");
        var ex = Assert.Throws<ApduException>(() => Send(new ApduChannel(card), "00B0000000"));
        Assert.Equal(ApduError.ResponseTooShort, ex.Error);
    }

    [Fact]
    public void Transmit_JoinedResponseLargerThanCallerBuffer_ThrowsResponseTooLarge()
    {
        var card = new ScriptedApduTransport("010203 6102", "0405 9000");
        var channel = new ApduChannel(card);
        byte[] cmd = Hex.Parse("00B0000000");
        var ex = Assert.Throws<ApduException>(() => channel.Transmit(cmd, 0, cmd.Length, new byte[6], 0));
        Assert.Equal(ApduError.ResponseTooLarge, ex.Error);
    }

    [Fact]
    public void Transmit_TransportReportsMoreThanBuffer_ThrowsResponseTooLarge()
    {
        var card = new ScriptedApduTransport(_ => new byte[300]);
        var ex = Assert.Throws<ApduException>(() => Send(new ApduChannel(card), "00B0000000"));
        Assert.Equal(ApduError.ResponseTooLarge, ex.Error);
    }

    [Fact]
    public void Transmit_MalformedCommand_ThrowsParseError()
    {
        var card = new ScriptedApduTransport();
        var ex = Assert.Throws<ApduException>(() => Send(new ApduChannel(card), "00A4040003 3F00"));
        Assert.Equal(ApduError.InvalidLength, ex.Error);
        Assert.Empty(card.Sent);
    }

    [Fact]
    public void Transmit_DataAboveLimit_ChainsWithBit5OnAllButLast()
    {
        // ISO/IEC 7816-4 §5.1.1: CLA b5 = 1 on every command of the chain but the last; Le only on the last.
        var card = new ScriptedApduTransport("9000", "9000", "AABB 9000");
        var channel = new ApduChannel(card, maxCommandData: 4, maxResponseData: 256, maxRounds: 4);
        string rsp = Send(channel, "84E20000 0A 00112233445566778899 00");
        Assert.Equal(new[] { "94E200000400112233", "94E200000444556677", "84E2000002889900" }, card.Sent);
        Assert.Equal("AABB9000", rsp);
    }

    [Fact]
    public void Transmit_600BytesShortOnly_SplitsInto255_255_90()
    {
        var card = new ScriptedApduTransport("9000", "9000", "9000");
        byte[] data = new byte[600];
        byte[] cmd = new byte[CommandApdu.EncodedLength(600, 0, ApduLengthForm.Auto)];
        CommandApdu.Write(0x80, 0xE8, 0x00, 0x00, data, 0, 600, 0, ApduLengthForm.Auto, cmd, 0);
        new ApduChannel(card).Transmit(cmd, 0, cmd.Length, new byte[16], 0);

        Assert.Equal(3, card.Sent.Count);
        Assert.StartsWith("90E80000FF", card.Sent[0]);
        Assert.Equal((5 + 255) * 2, card.Sent[0].Length);
        Assert.StartsWith("90E80000FF", card.Sent[1]);
        Assert.StartsWith("80E800005A", card.Sent[2]);
        Assert.Equal((5 + 90) * 2, card.Sent[2].Length);
    }

    [Fact]
    public void Transmit_IntermediateChainError_StopsAndReturnsIt()
    {
        var card = new ScriptedApduTransport("9000", "6884");
        var channel = new ApduChannel(card, maxCommandData: 2, maxResponseData: 256, maxRounds: 4);
        string rsp = Send(channel, "00DA0000 06 010203040506");
        Assert.Equal("6884", rsp);
        Assert.Equal(2, card.Sent.Count);
    }

    [Fact]
    public void Transmit_CallerChainedCommandTooLong_ThrowsCommandTooLarge()
    {
        var channel = new ApduChannel(new ScriptedApduTransport(), maxCommandData: 2, maxResponseData: 256, maxRounds: 4);
        var ex = Assert.Throws<ApduException>(() => Send(channel, "10DA0000 03 010203"));
        Assert.Equal(ApduError.CommandTooLarge, ex.Error);
    }

    [Fact]
    public void Transmit_SharedCommandAndResponseBuffer_Works()
    {
        var card = new ScriptedApduTransport("6C02", "AABB 6101", "CC 9000");
        byte[] buffer = new byte[64];
        byte[] cmd = Hex.Parse("00CA00FE 02 DF20 00");
        Array.Copy(cmd, 0, buffer, 10, cmd.Length);
        int n = new ApduChannel(card).Transmit(buffer, 10, cmd.Length, buffer, 8);
        Assert.Equal("AABBCC9000", Hex.Of(buffer, 8, n));
        Assert.Equal("00CA00FE02DF2002", card.Sent[1]);
    }

    [Fact]
    public void Transmit_SteadyState_AllocatesNothing()
    {
        var card = new PreparedTransport(Hex.Parse("0102 6102"), Hex.Parse("0304 9000"));
        var channel = new ApduChannel(card);
        byte[] cmd = Hex.Parse("00B0000000");
        byte[] rsp = new byte[300];
        channel.Transmit(cmd, 0, cmd.Length, rsp, 0);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int n = channel.Transmit(cmd, 0, cmd.Length, rsp, 0);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal("010203049000", Hex.Of(rsp, 0, n));
        Assert.Equal(0, after - before);
    }

    [Fact]
    public void Transmit_RandomResponses_OnlyApduException()
    {
        // Responses biased towards the status words the channel acts on; sizes 0 to 300 bytes.
        var sw1 = Gen.Select(Gen.Int[0, 7], Gen.Byte).Select((k, b) => k switch { 0 => (byte)0x90, 1 => (byte)0x61, 2 => (byte)0x6C, 3 => (byte)0x68, _ => b });
        var response = Gen.Select(Gen.Byte.Array[0, 298], sw1, Gen.Byte, Gen.Int[0, 3])
            .Select((body, s1, s2, cut) => cut == 0 ? body.Take(s2 % 2).ToArray() : body.Append(s1).Append(s2).ToArray());
        Gen.Select(response.Array[1, 12], Gen.Int[0, 400], Gen.Int[1, 300]).Sample((script, nc, maxData) =>
        {
            int next = 0;
            var card = new ScriptedApduTransport(_ => script[next++ % script.Length]);
            var channel = new ApduChannel(card, maxData, 256, 8);
            byte[] cmd = new byte[CommandApdu.EncodedLength(nc, 256, ApduLengthForm.Auto)];
            CommandApdu.Write(0x00, 0xDA, 0x00, 0x00, new byte[nc], 0, nc, 256, ApduLengthForm.Auto, cmd, 0);
            try
            {
                int n = channel.Transmit(cmd, 0, cmd.Length, new byte[1200], 0);
                Assert.InRange(n, 2, 1200);
            }
            catch (ApduException)
            {
            }

            Assert.True(card.Sent.Count <= 1 + (400 / maxData) + 2 * 9);
        }, iter: 2000);
    }

    private static string Send(ApduChannel channel, string command)
    {
        byte[] cmd = Hex.Parse(command);
        byte[] rsp = new byte[1024];
        int n = channel.Transmit(cmd, 0, cmd.Length, rsp, 0);
        return Hex.Of(rsp, 0, n);
    }

    /// <summary>Answers from prepared arrays without allocating, for the allocation test.</summary>
    private sealed class PreparedTransport(params byte[][] responses) : IApduTransport
    {
        private int _next;

        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            byte[] rsp = responses[_next++ % responses.Length];
            Array.Copy(rsp, 0, response, responseOffset, rsp.Length);
            return rsp.Length;
        }
    }
}
