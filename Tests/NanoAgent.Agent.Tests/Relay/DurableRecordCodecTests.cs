using System.Collections;
using CsCheck;
using NanoAgent.Agent.Relay;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Agent.Tests.Relay;

public class DurableRecordCodecTests
{
    private static byte[] SampleRecord()
    {
        var storage = new DurableMemoryStorage();
        var store = new DurableRelayStore(storage);
        store.SetCounter("acme", 0x01020304);
        store.SaveResult("acme", [0x11], [0xE5, 0x00]);
        store.BeginRun(new InFlightRun("acme", [0x22], 5, 2));
        store.MarkSending("acme", 1);
        return storage.Record!;
    }

    private static void Decode(byte[] record) => RelayStoreCodec.Decode(record, new Hashtable(), new Hashtable(), new Hashtable());

    // Re-seals a body with a valid header and CRC, to reach the TLV checks behind them.
    private static byte[] Seal(byte version, byte[] body)
    {
        byte[] record = new byte[5 + body.Length + 2];
        record[0] = version;
        record[1] = (byte)(body.Length >> 24);
        record[2] = (byte)(body.Length >> 16);
        record[3] = (byte)(body.Length >> 8);
        record[4] = (byte)body.Length;
        body.CopyTo(record, 5);
        ushort crc = Crc16X25.Compute(record, 0, 5 + body.Length);
        record[^2] = (byte)(crc >> 8);
        record[^1] = (byte)crc;
        return record;
    }

    [Fact]
    public void Encode_CounterOnly_IsVersionLengthTlvAndCrc()
    {
        var storage = new DurableMemoryStorage();
        new DurableRelayStore(storage).SetCounter("a", 7);

        // Our layout (RelayStoreCodec docs): version 02, body length 00000015, C1 generation 0, E1 { 80 "a", 81 counter in 8 bytes },
        // CRC-16/X-25 big-endian.
        byte[] record = storage.Record!;
        Assert.Equal("0200000015" + "C10400000000" + "E10D8001618108" + "0000000000000007", Hex.Of(record, 0, record.Length - 2));
        ushort crc = Crc16X25.Compute(record, 0, record.Length - 2);
        Assert.Equal((byte)(crc >> 8), record[^2]);
        Assert.Equal((byte)crc, record[^1]);
    }

    [Fact]
    public void Decode_FourByteCounterOfAnOlderRecord_ReadsBack()
    {
        // Records written before counters grew to 8 bytes hold 4: E1 { 80 "a", 81 00000007 }.
        var counters = new Hashtable();
        RelayStoreCodec.Decode(Seal(1, Hex.Parse("E109800161810400000007")), counters, new Hashtable(), new Hashtable());
        Assert.Equal(7UL, counters["a"]);
    }

    [Fact]
    public void Decode_EveryBitFlip_ThrowsChecksumOrOtherDocumentedError()
    {
        byte[] record = SampleRecord();
        for (int bit = 0; bit < record.Length * 8; bit++)
        {
            byte[] copy = (byte[])record.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            var e = Assert.Throws<RelayStoreException>(() => Decode(copy));
            RelayStoreError expected = bit < 8 ? RelayStoreError.UnsupportedVersion
                : bit < 40 ? RelayStoreError.Truncated
                : RelayStoreError.ChecksumMismatch;
            Assert.Equal(expected, e.Error);
        }
    }

    [Fact]
    public void Decode_EveryTruncation_ThrowsTruncated()
    {
        byte[] record = SampleRecord();
        for (int length = 0; length < record.Length; length++)
        {
            var e = Assert.Throws<RelayStoreException>(() => Decode(record.AsSpan(0, length).ToArray()));
            Assert.Equal(RelayStoreError.Truncated, e.Error);
        }
    }

    [Fact]
    public void Decode_OtherVersion_ThrowsUnsupportedVersion()
    {
        var e = Assert.Throws<RelayStoreException>(() => Decode(Seal(3, [])));
        Assert.Equal(RelayStoreError.UnsupportedVersion, e.Error);
    }

    [Theory]
    [InlineData("E1 03 80 01 61")]                          // counter without its number
    [InlineData("E1 08 80 01 61 81 03 00 00 07")]           // counter of three bytes
    [InlineData("E4 00")]                                   // unknown object
    [InlineData("E1 0B 80 01 61 81 04 00 00 00 07 82 00")]  // extra field
    [InlineData("E1 05 80 01 61 81")]                       // broken inner TLV
    [InlineData("E3 1A 80 01 61 82 01 01 81 04 00 00 00 01 84 04 00 00 00 02 85 04 00 00 00 00 86 01 00")] // step of one byte
    [InlineData("E3 1F 80 01 61 82 01 01 81 04 00 00 00 01 84 04 00 00 00 02 85 04 FF FF FF FE 86 07 00 00 00 00 01 90 00")] // sending -2
    [InlineData("E3 1F 80 01 61 82 01 01 81 04 00 00 00 01 84 04 00 00 00 02 85 04 FF FF FF FF 86 07 00 00 00 00 07 90 00")] // outcome 7
    [InlineData("E2 05 80 01 61 82 00")]                    // result without bytes
    public void Decode_MalformedBody_ThrowsMalformed(string body)
    {
        var e = Assert.Throws<RelayStoreException>(() => Decode(Seal(1, Hex.Parse(body))));
        Assert.Equal(RelayStoreError.Malformed, e.Error);
    }

    [Theory]
    [InlineData("E1 09 80 01 61 81 04 00 00 00 07")]                  // version 2 counters are 8 bytes
    [InlineData("C1 02 00 01")]                                        // generation of two bytes
    public void Decode_MalformedVersion2Body_ThrowsMalformed(string body)
    {
        var e = Assert.Throws<RelayStoreException>(() => Decode(Seal(2, Hex.Parse(body))));
        Assert.Equal(RelayStoreError.Malformed, e.Error);
    }

    [Fact]
    public void Decode_Version1Record_IsStillRead()
    {
        var counters = new Hashtable();
        uint generation = RelayStoreCodec.Decode(Seal(1, Hex.Parse("E1 09 80 01 61 81 04 00 00 00 07")), counters, new Hashtable(), new Hashtable());
        Assert.Equal(0u, generation);
        Assert.Equal(7UL, counters["a"]);
    }

    [Fact]
    public void Decode_Malformed_LeavesTablesUntouched()
    {
        var counters = new Hashtable();
        byte[] record = Seal(1, Hex.Parse("E1 09 80 01 61 81 04 00 00 00 07 E4 00"));
        Assert.Throws<RelayStoreException>(() => RelayStoreCodec.Decode(record, counters, new Hashtable(), new Hashtable()));
        Assert.Empty(counters);
    }

    [Fact]
    public void Decode_RandomBytes_OnlyThrowsRelayStoreException()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            try
            {
                Decode(bytes);
            }
            catch (RelayStoreException)
            {
            }
        }, iter: 2000);
    }

    [Fact]
    public void Decode_RandomBodiesWithValidSeal_OnlyThrowsRelayStoreException()
    {
        // Random bytes almost never pass the CRC; sealing them reaches the TLV and field checks.
        Gen.OneOf(Gen.Byte.Array[0, 120], Gen.Byte.Array[0, 40].Select(tail => Hex.Parse("E3 1F 80 01 61 82 01 01 81 04 00 00 00 01").Concat(tail).ToArray()))
            .Sample(body =>
            {
                try
                {
                    Decode(Seal(1, body));
                }
                catch (RelayStoreException)
                {
                }
            }, iter: 2000);
    }
}
