using CsCheck;
using NanoAgent.Host.Diag;

namespace NanoAgent.Host.Tests.Diag;

public class FrameDecoderTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty));

    // Frames from /work/shared/protocol-facts.md (UM11225 and GPC_SPE_172, CRCs recomputed independently).
    [Theory]
    [InlineData("se05x", "5A C0 00 FF FC", "host→SE S(RESYNCH request) LEN 0 CRC ok")]
    [InlineData("se05x", "5A CF 00 37 7F", "host→SE S(INTERFACE SOFT RESET request) LEN 0 CRC ok")]
    [InlineData("se05x", "5A C7 00 F7 B1", "host→SE S(GET ATR request) LEN 0 CRC ok")]
    [InlineData("se05x", "5A C5 00 47 82", "host→SE S(END OF APDU SESSION request) LEN 0 CRC ok")]
    [InlineData("se05x", "5A 90 00 08 2F", "host→SE R(N(R)=1 ack) LEN 0 CRC ok")]
    [InlineData("gp", "21 C0 00 00 65 AC", "host→SE S(RESYNCH request) LEN 0 CRC ok")]
    [InlineData("gp", "21 C4 00 00 06 CD", "host→SE S(CIP request) LEN 0 CRC ok")]
    [InlineData("gp", "21 C6 00 00 B3 75", "host→SE S(RELEASE request) LEN 0 CRC ok")]
    [InlineData("gp", "21 CF 00 00 2F 6B", "host→SE S(SWR request) LEN 0 CRC ok")]
    public void Decode_PublishedFrames(string protocol, string hex, string expected)
    {
        Assert.Equal(expected, FrameDecoder.Decode(protocol, Hex(hex)));
    }

    [Fact]
    public void Decode_FlippedCrcByte_SaysBadAndExpectedValue()
    {
        Assert.Equal("host→SE S(RESYNCH request) LEN 0 CRC BAD (expected FCFF)", FrameDecoder.Decode("se05x", Hex("5A C0 00 FF FD")));
    }

    [Theory]
    [InlineData(false, 0x00, "I(N(S)=0 M=0)")]
    [InlineData(false, 0x60, "I(N(S)=1 M=1)")]
    [InlineData(false, 0x81, "R(N(R)=0 CRC error)")]
    [InlineData(false, 0x92, "R(N(R)=1 other error)")]
    [InlineData(false, 0xE3, "S(WTX response)")]
    [InlineData(true, 0xE4, "S(CIP response)")]
    public void Pcb_DescribesEachBlockKind(bool gp, byte pcb, string expected)
    {
        Assert.Equal(expected, FrameDecoder.Pcb(gp, pcb));
    }

    [Fact]
    public void Decode_SeIBlockWithLongInf_TruncatesHexAndChecksCrc()
    {
        byte[] inf = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        var frame = new byte[3 + 40 + 2];
        int n = NanoAgent.Drivers.T1.Se05x.Se05xFrameCodec.Encode(frame, 0xA5, 0x40, inf, 0, 40);

        string text = FrameDecoder.Decode("se05x", frame.AsSpan(0, n));

        Assert.StartsWith("SE→host I(N(S)=1 M=0) LEN 40 INF 000102", text);
        Assert.Contains("… (+8)", text);
        Assert.EndsWith("CRC ok", text);
    }

    [Fact]
    public void Decode_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            Assert.NotEmpty(FrameDecoder.Decode("se05x", bytes));
            Assert.NotEmpty(FrameDecoder.Decode("gp", bytes));
        }, iter: 2000);
    }
}
