using CsCheck;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Se05x;

namespace NanoAgent.Drivers.Tests.T1.Se05x;

public class Se05xFrameCodecTests
{
    [Theory]
    // Published UM11225 frames as sent by NXP's host stack (see /work/shared/protocol-facts.md).
    [InlineData(0xC0, "5AC000FFFC")] // S(RESYNCH request)
    [InlineData(0xCF, "5ACF00377F")] // S(INTERFACE SOFT RESET request)
    [InlineData(0xC7, "5AC700F7B1")] // S(GET ATR request)
    [InlineData(0xC5, "5AC5004782")] // S(END OF APDU SESSION request)
    [InlineData(0x90, "5A9000082F")] // R-ACK, N(R) = 1
    public void Encode_PublishedFrames_MatchByteForByte(int pcb, string expected)
    {
        byte[] frame = new byte[Se05xFrameCodec.MaxFrame];
        int n = Se05xFrameCodec.Encode(frame, Se05xFrameCodec.NadHostToSe, (byte)pcb, null!, 0, 0);
        Assert.Equal(expected, Hex.Of(frame, 0, n));
        Assert.True(Se05xFrameCodec.IsValid(frame, n));
    }

    [Fact]
    public void Pcb_Builders_MatchUm11225Layout()
    {
        Assert.Equal(0xC0, Se05xFrameCodec.SBlockPcb(Se05xSBlockType.Resynch, false));
        Assert.Equal(0xCF, Se05xFrameCodec.SBlockPcb(Se05xSBlockType.InterfaceSoftReset, false));
        Assert.Equal(0xC7, Se05xFrameCodec.SBlockPcb(Se05xSBlockType.GetAtr, false));
        Assert.Equal(0xC5, Se05xFrameCodec.SBlockPcb(Se05xSBlockType.EndOfApduSession, false));
        Assert.Equal(0xE3, Se05xFrameCodec.SBlockPcb(Se05xSBlockType.Wtx, true));
        Assert.Equal(0xE6, Se05xFrameCodec.SBlockPcb(Se05xSBlockType.ChipReset, true));
        Assert.Equal(0x90, Se05xFrameCodec.RBlockPcb(1, 0));
        Assert.Equal(0x81, Se05xFrameCodec.RBlockPcb(0, 1));
        Assert.Equal(0x92, Se05xFrameCodec.RBlockPcb(1, 2));
        Assert.Equal(0x00, Se05xFrameCodec.IBlockPcb(0, false));
        Assert.Equal(0x60, Se05xFrameCodec.IBlockPcb(1, true));
    }

    [Fact]
    public void Pcb_Decoders_ReadBackFields()
    {
        Assert.True(T1Pcb.IsIBlock(0x60));
        Assert.Equal(1, Se05xFrameCodec.Sequence(0x60));
        Assert.True(Se05xFrameCodec.HasMore(0x20));
        Assert.True(T1Pcb.IsRBlock(0x92));
        Assert.Equal(1, Se05xFrameCodec.Sequence(0x92));
        Assert.Equal(2, Se05xFrameCodec.RError(0x92));
        Assert.True(T1Pcb.IsSBlock(0xE3));
        Assert.True(Se05xFrameCodec.IsSResponse(0xE3));
        Assert.False(Se05xFrameCodec.IsSResponse(0xC3));
        Assert.Equal(Se05xSBlockType.InterfaceSoftReset, Se05xFrameCodec.SType(0xEF));
    }

    [Fact]
    public void Encode_IBlock_CarriesInfAndCrcLowByteFirst()
    {
        byte[] frame = new byte[Se05xFrameCodec.MaxFrame];
        byte[] inf = Hex.Parse("00A4040000");
        int n = Se05xFrameCodec.Encode(frame, Se05xFrameCodec.NadHostToSe, 0x00, inf, 0, inf.Length);
        Assert.Equal("5A000500A4040000", Hex.Of(frame, 0, 8));
        ushort crc = Crc16X25.Compute(frame, 0, 8);
        Assert.Equal((byte)crc, frame[8]);
        Assert.Equal((byte)(crc >> 8), frame[9]);
        Assert.Equal(10, n);
    }

    [Fact]
    public void Encode_InfLongerThan254_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Se05xFrameCodec.Encode(new byte[300], 0x5A, 0, new byte[255], 0, 255));
    }

    [Fact]
    public void IsValid_RandomFrames_AcceptsOnlyConsistentOnes()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            byte[] frame = new byte[Math.Max(bytes.Length, 1)];
            bytes.CopyTo(frame, 0);
            bool valid = Se05xFrameCodec.IsValid(frame, bytes.Length);
            if (valid)
            {
                Assert.Equal(bytes.Length, 5 + bytes[2]);
            }
        }, iter: 2000);
    }

    [Fact]
    public void IsValid_AnySingleBitFlip_IsRejected()
    {
        Gen.Select(Gen.Byte.Array[0, 254], Gen.Int[0, 1000], Gen.Int[0, 7]).Sample((inf, at, bit) =>
        {
            byte[] frame = new byte[Se05xFrameCodec.MaxFrame];
            int n = Se05xFrameCodec.Encode(frame, 0xA5, 0x40, inf, 0, inf.Length);
            frame[at % n] ^= (byte)(1 << bit);
            Assert.False(Se05xFrameCodec.IsValid(frame, n));
        }, iter: 1000);
    }
}
