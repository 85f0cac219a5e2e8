using CsCheck;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Tests.Apdu;

public class CommandApduTests
{
    private static string Encode(int nc, int ne, ApduLengthForm form, byte cla = 0x00, byte ins = 0xB0)
    {
        byte[] data = new byte[nc];
        for (int i = 0; i < nc; i++)
        {
            data[i] = (byte)(0xA0 + i);
        }

        byte[] buffer = new byte[CommandApdu.EncodedLength(nc, ne, form)];
        int n = CommandApdu.Write(cla, ins, 0x04, 0x00, data, 0, nc, ne, form, buffer, 0);
        Assert.Equal(buffer.Length, n);
        return Hex.Of(buffer);
    }

    // ISO/IEC 7816-4 §5.1 (Table 1, cases 1, 2S, 3S, 4S, 2E, 3E, 4E); Le 00 means 256 (short) or 65536 (extended).
    [Theory]
    [InlineData(0, 0, ApduLengthForm.Auto, "00B00400")]
    [InlineData(0, 16, ApduLengthForm.Auto, "00B0040010")]
    [InlineData(0, 256, ApduLengthForm.Auto, "00B0040000")]
    [InlineData(2, 0, ApduLengthForm.Auto, "00B0040002A0A1")]
    [InlineData(2, 256, ApduLengthForm.Auto, "00B0040002A0A100")]
    [InlineData(0, 257, ApduLengthForm.Auto, "00B00400000101")]
    [InlineData(0, 65536, ApduLengthForm.Auto, "00B00400000000")]
    [InlineData(0, 1, ApduLengthForm.Extended, "00B00400000001")]
    [InlineData(2, 0, ApduLengthForm.Extended, "00B00400000002A0A1")]
    [InlineData(2, 65536, ApduLengthForm.Extended, "00B00400000002A0A10000")]
    [InlineData(2, 257, ApduLengthForm.Auto, "00B00400000002A0A10101")]
    [InlineData(0, 0, ApduLengthForm.Extended, "00B00400")]
    public void Write_EachIsoCase_EncodesExactBytes(int nc, int ne, ApduLengthForm form, string expected)
    {
        Assert.Equal(expected, Encode(nc, ne, form));
    }

    [Fact]
    public void Write_SelectByAid_MatchesGpSelect()
    {
        // GPC v2.3.1 §11.9: SELECT by name, ISD AID A000000151000000, Le 00.
        byte[] aid = Hex.Parse("A000000151000000");
        byte[] buffer = new byte[32];
        int n = CommandApdu.Write(0x00, 0xA4, 0x04, 0x00, aid, 0, aid.Length, 256, ApduLengthForm.Auto, buffer, 3);
        Assert.Equal("00A4040008A00000015100000000", Hex.Of(buffer, 3, n));
    }

    [Fact]
    public void Write_256DataBytes_SwitchesToExtendedLc()
    {
        string hex = Encode(256, 0, ApduLengthForm.Auto);
        Assert.StartsWith("00B00400000100A0A1", hex);
        Assert.Equal((4 + 3 + 256) * 2, hex.Length);
    }

    [Theory]
    [InlineData(256, 0, ApduLengthForm.Short)]
    [InlineData(0, 257, ApduLengthForm.Short)]
    [InlineData(65536, 0, ApduLengthForm.Auto)]
    [InlineData(0, 65537, ApduLengthForm.Auto)]
    [InlineData(-1, 0, ApduLengthForm.Auto)]
    [InlineData(0, -1, ApduLengthForm.Auto)]
    public void EncodedLength_FieldOutOfRange_ThrowsInvalidField(int nc, int ne, ApduLengthForm form)
    {
        var ex = Assert.Throws<ApduException>(() => CommandApdu.EncodedLength(nc, ne, form));
        Assert.Equal(ApduError.InvalidField, ex.Error);
    }

    [Fact]
    public void Write_BufferOneByteShort_ThrowsBufferTooSmall()
    {
        byte[] data = new byte[3];
        var ex = Assert.Throws<ApduException>(() => CommandApdu.Write(0, 0xD6, 0, 0, data, 0, 3, 0, ApduLengthForm.Auto, new byte[7], 0));
        Assert.Equal(ApduError.BufferTooSmall, ex.Error);
    }

    [Fact]
    public void Write_DataRangeOutsideBuffer_ThrowsInvalidField()
    {
        var ex = Assert.Throws<ApduException>(() => CommandApdu.Write(0, 0xD6, 0, 0, new byte[3], 2, 3, 0, ApduLengthForm.Auto, new byte[16], 0));
        Assert.Equal(ApduError.InvalidField, ex.Error);
    }

    [Fact]
    public void Write_RandomFields_ParseBackIdentical()
    {
        var gen = Gen.Select(Gen.Byte.Array[4], Gen.Int[0, 700], Gen.OneOf(Gen.Int[0, 300], Gen.Int[0, 65536]), Gen.Bool);
        gen.Sample((header, nc, ne, forceExtended) =>
        {
            var form = forceExtended ? ApduLengthForm.Extended : ApduLengthForm.Auto;
            byte[] data = new byte[nc];
            new Random(nc).NextBytes(data);
            byte[] buffer = new byte[CommandApdu.EncodedLength(nc, ne, form) + 2];
            int n = CommandApdu.Write(header[0], header[1], header[2], header[3], data, 0, nc, ne, form, buffer, 1);

            Assert.Equal((ApduError)0, CommandApduView.TryParse(buffer, 1, n, out var view));
            Assert.Equal((header[0], header[1], header[2], header[3]), (view.Cla, view.Ins, view.P1, view.P2));
            Assert.Equal(nc, view.Nc);
            Assert.Equal(ne, view.Ne);
            Assert.Equal(ne > 0, view.HasLe);
            if (nc > 0 || ne > 0)
            {
                Assert.Equal(forceExtended || CommandApdu.NeedsExtended(nc, ne), view.IsExtended);
            }

            Assert.Equal(Hex.Of(data), Hex.Of(buffer, view.DataOffset, nc));
        }, iter: 2000);
    }
}
