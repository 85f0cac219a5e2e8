using NanoAgent.Drivers.T1;
using CsCheck;
using NanoAgent.Drivers.T1.Gp;

namespace NanoAgent.Drivers.Tests.T1.Gp;

public class GpFrameCodecTests
{
    [Theory]
    // GPC_SPE_172 frames as published in /work/shared/protocol-facts.md (CRC-16/X-25, high byte first).
    [InlineData(GpSBlockType.Resynch, "21C0000065AC")]
    [InlineData(GpSBlockType.Cip, "21C4000006CD")]
    [InlineData(GpSBlockType.Release, "21C60000B375")]
    [InlineData(GpSBlockType.SoftwareReset, "21CF00002F6B")]
    public void Encode_SBlockRequests_MatchPublishedFrames(GpSBlockType type, string expected)
    {
        var frame = new byte[GpFrameCodec.Overhead];
        int n = GpFrameCodec.Encode(GpFrameCodec.HostToSeNad, GpPcb.SBlock(type, false), null!, 0, 0, frame, 0);
        Assert.Equal(expected, Hex.Of(frame, 0, n));
        Assert.Equal(GpFrameStatus.Valid, GpFrameCodec.Check(frame, 0, n));
    }

    [Fact]
    public void Encode_WithInfAndOffsets_PutsLengthBigEndianAndCrcHighByteFirst()
    {
        byte[] inf = Hex.Parse("EE EE 00 A4 04 00 EE");
        var frame = new byte[20];
        int n = GpFrameCodec.Encode(0x21, 0x40, inf, 2, 4, frame, 3);
        Assert.Equal(10, n);
        Assert.Equal("2140000400A40400", Hex.Of(frame, 3, 8));
        ushort crc = Drivers.T1.Crc16X25.Compute(frame, 3, 8);
        Assert.Equal(crc >> 8, frame[11]);
        Assert.Equal(crc & 0xFF, frame[12]);
    }

    [Fact]
    public void Check_DetectsTruncationLengthAndCrc()
    {
        byte[] frame = Hex.Parse("21C0000065AC");
        Assert.Equal(GpFrameStatus.Truncated, GpFrameCodec.Check(frame, 0, 5));
        Assert.Equal(GpFrameStatus.LengthMismatch, GpFrameCodec.Check(Hex.Parse("21C0000165AC"), 0, 6));
        frame[5] ^= 1;
        Assert.Equal(GpFrameStatus.CrcError, GpFrameCodec.Check(frame, 0, 6));
    }

    [Fact]
    public void Pcb_CodesFollowIso7816Part3()
    {
        // ISO/IEC 7816-3 §11.3.2.2 coding, as GPC_SPE_172 §4.2 keeps it.
        Assert.Equal(0x00, GpPcb.IBlock(0, false));
        Assert.Equal(0x60, GpPcb.IBlock(1, true));
        Assert.Equal(0x80, GpPcb.RBlock(0, GpRBlockError.None));
        Assert.Equal(0x91, GpPcb.RBlock(1, GpRBlockError.Crc));
        Assert.Equal(0x82, GpPcb.RBlock(0, GpRBlockError.Other));
        Assert.Equal(0xE3, GpPcb.SBlock(GpSBlockType.Wtx, true));
        Assert.Equal(0xEF, GpPcb.SBlock(GpSBlockType.SoftwareReset, true));
        Assert.True(T1Pcb.IsIBlock(0x60) && GpPcb.HasMore(0x60) && GpPcb.SendSequence(0x60) == 1);
        Assert.True(T1Pcb.IsRBlock(0x91) && GpPcb.ReceiveSequence(0x91) == 1 && GpPcb.RError(0x91) == GpRBlockError.Crc);
        Assert.True(T1Pcb.IsSBlock(0xE4) && GpPcb.IsSResponse(0xE4) && GpPcb.SType(0xE4) == GpSBlockType.Cip);
        Assert.False(GpPcb.IsSResponse(0xC1));
    }

    [Theory]
    // GPC_SPE_172 §4.2.4.3: one byte up to 0xFE, two bytes above, 0xFF9 at most.
    [InlineData(1, "01")]
    [InlineData(0xFE, "FE")]
    [InlineData(0xFF, "00FF")]
    [InlineData(0xFF9, "0FF9")]
    public void EncodeIfs_UsesOneOrTwoBytes(int ifs, string expected)
    {
        var buffer = new byte[2];
        int n = GpFrameCodec.EncodeIfs(ifs, buffer, 0);
        Assert.Equal(expected, Hex.Of(buffer, 0, n));
        Assert.Equal(ifs, GpFrameCodec.DecodeIfs(buffer, 0, n));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0xFFA)]
    public void EncodeIfs_OutOfRange_Throws(int ifs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GpFrameCodec.EncodeIfs(ifs, new byte[2], 0));

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("0FFA")]
    [InlineData("010203")]
    public void DecodeIfs_Malformed_ReturnsMinusOne(string inf)
    {
        byte[] data = Hex.Parse(inf);
        Assert.Equal(-1, GpFrameCodec.DecodeIfs(data, 0, data.Length));
    }

    [Fact]
    public void EncodeThenCheck_RoundTripsAnyBlock()
    {
        Gen.Select(Gen.Byte, Gen.Byte, Gen.Byte.Array[0, 600]).Sample((nad, pcb, inf) =>
        {
            var frame = new byte[inf.Length + GpFrameCodec.Overhead];
            int n = GpFrameCodec.Encode(nad, pcb, inf, 0, inf.Length, frame, 0);
            return n == frame.Length && GpFrameCodec.Check(frame, 0, n) == GpFrameStatus.Valid
                && frame[0] == nad && frame[1] == pcb && GpFrameCodec.InformationLength(frame, 0) == inf.Length
                && frame.AsSpan(4, inf.Length).SequenceEqual(inf);
        }, iter: 500);
    }

    [Fact]
    public void Check_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            GpFrameCodec.Check(bytes, 0, bytes.Length);
            GpFrameCodec.DecodeIfs(bytes, 0, Math.Min(bytes.Length, 3));
        }, iter: 2000);
    }
}
