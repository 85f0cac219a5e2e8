using CsCheck;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Drivers.Tests.Tlv;

public class BerTlvWriterTests
{
    [Fact]
    public void Write_IsdFci_MatchesGpSelectResponse()
    {
        // GPC v2.3.1 §11.9.3: the FCI the ISD returns to SELECT.
        byte[] buffer = new byte[64];
        var writer = new BerTlvWriter(buffer, 2, 60);
        writer.BeginConstructed(0x6F);
        byte[] aid = Hex.Parse("A000000151000000");
        writer.Write(0x84, aid, 0, aid.Length);
        writer.BeginConstructed(0xA5);
        writer.WriteByte(0x9F65, 0xFF);
        writer.EndConstructed();
        writer.EndConstructed();
        int n = writer.Finish();
        Assert.Equal("6F108408A000000151000000A5049F6501FF", Hex.Of(buffer, 2, n));
    }

    // X.690 §8.1.3 (DER: shortest form): 7F short, 80-FF as 81, up to FFFF as 82, above as 83.
    [Theory]
    [InlineData(0, "0400")]
    [InlineData(127, "047F")]
    [InlineData(128, "048180")]
    [InlineData(255, "0481FF")]
    [InlineData(256, "04820100")]
    [InlineData(65536, "0483010000")]
    public void Write_Lengths_UseShortestForm(int length, string header)
    {
        byte[] buffer = new byte[length + 8];
        var writer = new BerTlvWriter(buffer, 0, buffer.Length);
        writer.Write(0x04, new byte[length], 0, length);
        Assert.Equal(header.Length / 2 + length, writer.Length);
        Assert.Equal(header, Hex.Of(buffer, 0, header.Length / 2));
    }

    [Fact]
    public void EndConstructed_LongValue_MovesValueForLongLength()
    {
        byte[] buffer = new byte[400];
        var writer = new BerTlvWriter(buffer, 0, buffer.Length);
        writer.BeginConstructed(0xBF0C);
        byte[] value = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        writer.Write(0xC1, value, 0, value.Length);
        writer.EndConstructed();
        Assert.Equal("BF0C820130C182012C000102", Hex.Of(buffer, 0, 12));
        Assert.Equal(2 + 3 + 4 + 300, writer.Finish());
    }

    [Theory]
    [InlineData(0x1F)]
    [InlineData(0x9F80)]
    [InlineData(0x9F)]
    [InlineData(0x0101)]
    [InlineData(0xDF0101)]
    [InlineData(0x1000000)]
    [InlineData(-1)]
    public void Write_InvalidTag_ThrowsInvalidTag(int tag)
    {
        var writer = new BerTlvWriter(new byte[16], 0, 16);
        Assert.Equal(TlvError.InvalidTag, Assert.Throws<TlvException>(() => writer.Write(tag, null!, 0, 0)).Error);
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void BeginConstructed_PrimitiveTag_ThrowsInvalidTag()
    {
        var writer = new BerTlvWriter(new byte[16], 0, 16);
        Assert.Equal(TlvError.InvalidTag, Assert.Throws<TlvException>(() => writer.BeginConstructed(0x84)).Error);
    }

    [Fact]
    public void Write_BufferFull_ThrowsBufferTooSmallAndWritesNothing()
    {
        byte[] buffer = new byte[6];
        var writer = new BerTlvWriter(buffer, 0, 5);
        writer.WriteByte(0x80, 1);
        Assert.Equal(TlvError.BufferTooSmall, Assert.Throws<TlvException>(() => writer.WriteByte(0x81, 2)).Error);
        Assert.Equal(3, writer.Length);
        Assert.Equal(0, buffer[5]);
    }

    [Fact]
    public void EndConstructed_NoRoomForLongLength_ThrowsAndStaysOpen()
    {
        // 70 L | 04 7E + 126 bytes fills the buffer; the 128-byte value then needs the 81 80 length form.
        byte[] buffer = new byte[2 + 128];
        var writer = new BerTlvWriter(buffer, 0, buffer.Length);
        writer.BeginConstructed(0x70);
        writer.Write(0x04, new byte[126], 0, 126);
        Assert.Equal(TlvError.BufferTooSmall, Assert.Throws<TlvException>(() => writer.EndConstructed()).Error);
        Assert.Equal(1, writer.Depth);
    }

    [Fact]
    public void EndConstructed_Unbalanced_Throws()
    {
        var writer = new BerTlvWriter(new byte[64], 0, 64);
        Assert.Equal(TlvError.Unbalanced, Assert.Throws<TlvException>(() => writer.EndConstructed()).Error);
        writer.BeginConstructed(0x70);
        Assert.Equal(TlvError.Unbalanced, Assert.Throws<TlvException>(() => writer.Finish()).Error);
        for (int i = 1; i < BerTlvWriter.MaxDepth; i++)
        {
            writer.BeginConstructed(0x70);
        }

        Assert.Equal(TlvError.Unbalanced, Assert.Throws<TlvException>(() => writer.BeginConstructed(0x70)).Error);
    }

    [Fact]
    public void Reset_ReusesWriter()
    {
        byte[] buffer = new byte[8];
        var writer = new BerTlvWriter(buffer, 0, 8);
        writer.BeginConstructed(0x70);
        writer.Reset(buffer, 4, 4);
        writer.WriteByte(0x80, 0x55);
        Assert.Equal(3, writer.Finish());
        Assert.Equal("800155", Hex.Of(buffer, 4, 3));
    }

    [Fact]
    public void WriteThenRead_RandomObjects_RoundTrip()
    {
        var tags = Gen.OneOf(Gen.Int[0x80, 0x9E].Where(t => (t & 0x1F) != 0x1F), Gen.Const(0x9F65), Gen.Const(0x5F2D), Gen.Const(0xDF8101));
        var item = Gen.Select(tags, Gen.Byte.Array[0, 400]);
        Gen.Select(item.Array[0, 6], Gen.Bool).Sample((items, wrap) =>
        {
            byte[] buffer = new byte[4000];
            var writer = new BerTlvWriter(buffer, 1, buffer.Length - 1);
            if (wrap)
            {
                writer.BeginConstructed(0xE3);
            }

            foreach (var (tag, value) in items)
            {
                writer.Write(tag, value, 0, value.Length);
            }

            if (wrap)
            {
                writer.EndConstructed();
            }

            int n = writer.Finish();
            var reader = new BerTlvReader(buffer, 1, n);
            if (wrap)
            {
                Assert.True(reader.Read());
                Assert.Equal(0xE3, reader.Tag);
                Assert.Equal(n, reader.TotalLength);
                reader = reader.OpenValue();
            }

            foreach (var (tag, value) in items)
            {
                Assert.True(reader.Read());
                Assert.Equal(tag, reader.Tag);
                Assert.Equal(BerTlvWriter.EncodedLength(tag, value.Length), reader.TotalLength);
                Assert.Equal(Hex.Of(value), Hex.Of(buffer, reader.ValueOffset, reader.ValueLength));
            }

            Assert.False(reader.Read());
        }, iter: 1000);
    }
}
