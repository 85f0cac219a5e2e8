using CsCheck;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Drivers.Tests.Tlv;

public class BerTlvReaderTests
{
    // GPC v2.3.1 §11.9.3: SELECT response, FCI template 6F holding the AID (84) and the proprietary data A5
    // with the maximum length of data field in command message (9F65).
    private const string IsdFci = "6F10 8408A000000151000000 A504 9F6501FF";

    // GlobalPlatform CPLC data as returned by GET DATA 9F7F, 42 bytes (IC fabricator, IC type, OS id, ... personalisation equipment id).
    private const string Cplc = "9F7F2A 4790 5167 4791 2123 4200 2145 12345678 0001 0000 0000 0000 0000 0000 0000 00000000 0000 0000 00000000";

    [Fact]
    public void Read_IsdFci_WalksNestedObjects()
    {
        byte[] data = Hex.Parse(IsdFci);
        var top = new BerTlvReader(data, 0, data.Length);
        Assert.True(top.Read());
        Assert.Equal(0x6F, top.Tag);
        Assert.True(top.IsConstructed);
        Assert.Equal(2, top.ValueOffset);
        Assert.Equal(16, top.ValueLength);
        Assert.Equal(18, top.TotalLength);

        var fci = top.OpenValue();
        Assert.True(fci.Read());
        Assert.Equal(0x84, fci.Tag);
        Assert.False(fci.IsConstructed);
        Assert.Equal("A000000151000000", Hex.Of(data, fci.ValueOffset, fci.ValueLength));
        Assert.True(fci.Read());
        Assert.Equal(0xA5, fci.Tag);
        Assert.True(fci.IsConstructed);

        var proprietary = fci.OpenValue();
        Assert.True(proprietary.Find(0x9F65));
        Assert.Equal(2, proprietary.TagLength);
        Assert.Equal(0xFFu, proprietary.ValueAsNumber());
        Assert.False(proprietary.Read());
        Assert.False(fci.Read());
        Assert.False(top.Read());
    }

    [Fact]
    public void Find_MissingTag_ReturnsFalse()
    {
        byte[] data = Hex.Parse(IsdFci);
        var top = new BerTlvReader(data, 0, data.Length);
        Assert.True(top.Find(0x6F));
        var fci = top.OpenValue();
        Assert.False(fci.Find(0x88));
    }

    [Fact]
    public void Read_CplcInGetDataResponse_ReadsTwoByteTagAnd42Bytes()
    {
        byte[] data = Hex.Parse(Cplc + "9000");
        var reader = new BerTlvReader(data, 0, data.Length - 2);
        Assert.True(reader.Read());
        Assert.Equal(0x9F7F, reader.Tag);
        Assert.Equal(42, reader.ValueLength);
        Assert.Equal(3, reader.ValueOffset);
        Assert.Equal("4790", Hex.Of(data, reader.ValueOffset, 2));
        Assert.False(reader.HasMore);
    }

    // ISO/IEC 7816-4 §5.2.2.1 / X.690 §8.1.3.5: long form 81 xx, 82 xxxx, 83 xxxxxx.
    [Theory]
    [InlineData("04 81 80", 128, 3)]
    [InlineData("04 81 FF", 255, 3)]
    [InlineData("04 82 0100", 256, 4)]
    [InlineData("04 83 000101", 257, 5)]
    [InlineData("04 81 05", 5, 3)]
    public void Read_LongFormLength_ReadsValueLength(string header, int length, int valueOffset)
    {
        byte[] data = Hex.Parse(header).Concat(new byte[length]).ToArray();
        var reader = new BerTlvReader(data, 0, data.Length);
        Assert.True(reader.Read());
        Assert.Equal(length, reader.ValueLength);
        Assert.Equal(valueOffset, reader.ValueOffset);
        Assert.False(reader.Read());
    }

    [Fact]
    public void Read_ThreeByteTag_ReadsWholeTag()
    {
        byte[] data = Hex.Parse("DF8101 01 AA");
        var reader = new BerTlvReader(data, 0, data.Length);
        Assert.True(reader.Read());
        Assert.Equal(0xDF8101, reader.Tag);
        Assert.Equal(3, reader.TagLength);
        Assert.True(reader.IsConstructed == false);
    }

    [Theory]
    [InlineData("9F", TlvError.Truncated)]
    [InlineData("84", TlvError.Truncated)]
    [InlineData("84 05 0102", TlvError.Truncated)]
    [InlineData("84 82 01", TlvError.Truncated)]
    [InlineData("84 81", TlvError.Truncated)]
    [InlineData("84 80 00 00", TlvError.InvalidLength)]
    [InlineData("84 84 00000001 00", TlvError.InvalidLength)]
    [InlineData("DF818181 01 00", TlvError.InvalidTag)]
    [InlineData("DF8181", TlvError.Truncated)]
    public void Read_Malformed_ThrowsTlvException(string hex, TlvError error)
    {
        byte[] data = Hex.Parse(hex);
        var reader = new BerTlvReader(data, 0, data.Length);
        var ex = Assert.Throws<TlvException>(() => reader.Read());
        Assert.Equal(error, ex.Error);
    }

    [Fact]
    public void Read_ValueEndsAtRangeEndNotBufferEnd_IsTruncated()
    {
        byte[] data = Hex.Parse("8403 010203");
        var reader = new BerTlvReader(data, 0, 4);
        Assert.Equal(TlvError.Truncated, Assert.Throws<TlvException>(() => reader.Read()).Error);
    }

    [Theory]
    [InlineData(-1, 2)]
    [InlineData(2, 5)]
    [InlineData(0, -1)]
    public void Constructor_RangeOutsideBuffer_ThrowsInvalidRange(int offset, int count)
    {
        var ex = Assert.Throws<TlvException>(() => new BerTlvReader(new byte[4], offset, count));
        Assert.Equal(TlvError.InvalidRange, ex.Error);
    }

    [Fact]
    public void Read_RandomBytes_OnlyTlvExceptionAndAlwaysEnds()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            int steps = 0;
            try
            {
                Walk(new BerTlvReader(bytes, 0, bytes.Length), bytes.Length, ref steps, 0);
            }
            catch (TlvException)
            {
            }

            // Every object takes at least two bytes, and each level visits its bytes once.
            Assert.True(steps <= bytes.Length * 8);
        }, iter: 5000);
    }

    private static void Walk(BerTlvReader reader, int bufferLength, ref int steps, int depth)
    {
        while (reader.Read())
        {
            steps++;
            Assert.InRange(reader.ValueOffset + reader.ValueLength, 0, bufferLength);
            if (reader.IsConstructed)
            {
                Walk(reader.OpenValue(), bufferLength, ref steps, depth + 1);
            }
        }
    }
}
