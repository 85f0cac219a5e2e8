using CsCheck;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Se05x;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Drivers.Tests.Se05x;

// A test-side decoder (ISO 7816-4 APDU view + BER-TLV reader) reads back what the builders wrote.
public class Se05xRoundTripTests
{
    [Fact]
    public void MacValidate_RandomInputs_DecodeBack()
    {
        // CsCheck samples on several threads: each sample gets its own builder and buffer.
        Gen.Select(Gen.UInt, Gen.Byte.Array[1, 900], Gen.Byte.Array[1, 64]).Sample((id, data, mac) =>
        {
            var crypto = new Se05xCryptoCommands();
            byte[] buffer = new byte[Se05xObjectCommands.MaxCommandLength];
            int n = crypto.MacValidate(id, Se05xMacAlgorithm.HmacSha256, data, 0, data.Length, mac, 0, mac.Length, buffer, 0);
            Assert.Equal(0, (int)CommandApduView.TryParse(buffer, 0, n, out var view));
            Assert.Equal((0x80, 0x03, 0x0D, 0x46), (view.Cla, view.Ins, view.P1, view.P2));
            Assert.False(view.HasLe);
            Assert.Equal(view.Nc >= 255, view.IsExtended);
            var tlv = new BerTlvReader(buffer, view.DataOffset, view.Nc);
            Assert.True(tlv.Read());
            Assert.Equal(id, tlv.ValueAsNumber());
            Assert.True(tlv.Read());
            Assert.Equal(0x19u, tlv.ValueAsNumber());
            Assert.True(tlv.Read());
            Assert.Equal(data, buffer.AsSpan(tlv.ValueOffset, tlv.ValueLength).ToArray());
            Assert.True(tlv.Read());
            Assert.Equal(0x45, tlv.Tag);
            Assert.Equal(mac, buffer.AsSpan(tlv.ValueOffset, tlv.ValueLength).ToArray());
            Assert.False(tlv.HasMore);
        }, iter: 500);
    }

    [Fact]
    public void SetCounter_RandomValues_DecodeBack()
    {
        Gen.Select(Gen.UInt, Gen.Int[1, 8], Gen.ULong).Sample((id, size, raw) =>
        {
            var objects = new Se05xObjectCommands();
            byte[] buffer = new byte[64];
            ulong value = size == 8 ? raw : raw & ((1ul << (8 * size)) - 1);
            int n = objects.SetCounter(id, size, value, buffer, 0);
            Assert.Equal(0, (int)CommandApduView.TryParse(buffer, 0, n, out var view));
            var tlv = new BerTlvReader(buffer, view.DataOffset, view.Nc);
            Assert.True(tlv.Find(0x43));
            Assert.Equal(size, tlv.ValueLength);
            ulong back = 0;
            for (int i = 0; i < size; i++)
            {
                back = (back << 8) | buffer[tlv.ValueOffset + i];
            }

            Assert.Equal(value, back);
        }, iter: 1000);
    }
}
