using CsCheck;
using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Drivers.Tests.Jrcp;

// The layout under test is NXP plug-and-trust hostlib/hostLib/accessManager/inc/accessManager.h, "General Message Format":
// [MTY]:[NAD]:[LNH]:[LNL]:[D0]...[Dn], as smComSocket_fd.c builds it (Header {0x01, 0x00}, then length high, low).
public class JrcpFrameReaderTests
{
    [Fact]
    public void Push_ApduMessageAsNxpClientBuildsIt_GivesTypeNadAndPayload()
    {
        var reader = new JrcpFrameReader(64);
        byte[] message = Hex.Parse("01 00 00 05 00A4040000");

        Assert.Equal(message.Length, reader.Push(message, 0, message.Length));

        Assert.True(reader.IsComplete);
        Assert.False(reader.Oversized);
        Assert.Equal(JrcpMessageType.ApduData, reader.Type);
        Assert.Equal(0, reader.Nad);
        Assert.Equal(5, reader.PayloadLength);
        Assert.Equal("00A4040000", Hex.Of(reader.Buffer, 4, 5));
    }

    [Fact]
    public void Push_HeaderOnlyMessage_IsCompleteAtFourBytes()
    {
        var reader = new JrcpFrameReader(64);
        byte[] two = Hex.Parse("30 00 00 00 31 00 00 00");

        Assert.Equal(4, reader.Push(two, 0, two.Length));
        Assert.True(reader.IsComplete);
        Assert.Equal(JrcpMessageType.Lock, reader.Type);
        reader.Reset();
        Assert.Equal(4, reader.Push(two, 4, 4));
        Assert.Equal(JrcpMessageType.Unlock, reader.Type);
    }

    [Fact]
    public void Push_OversizedPayload_IsReadToItsEndAndFlagged_AndTheNextMessageParses()
    {
        var reader = new JrcpFrameReader(4);
        byte[] stream = Hex.Parse("01 00 00 06 AABBCCDDEEFF 04 00 00 00");

        int taken = reader.Push(stream, 0, stream.Length);

        Assert.Equal(10, taken);
        Assert.True(reader.IsComplete);
        Assert.True(reader.Oversized);
        Assert.Equal(6, reader.PayloadLength);
        reader.Reset();
        Assert.Equal(4, reader.Push(stream, taken, stream.Length - taken));
        Assert.Equal(JrcpMessageType.TerminalInfo, reader.Type);
        Assert.False(reader.Oversized);
    }

    [Fact]
    public void Push_AfterACompleteMessageWithoutReset_IsABug()
    {
        var reader = new JrcpFrameReader(4);
        reader.Push(Hex.Parse("04000000"), 0, 4);
        Assert.Throws<InvalidOperationException>(() => reader.Push([0], 0, 1));
    }

    [Fact]
    public void InMessage_ReportsProgressOfAPartialMessage()
    {
        var reader = new JrcpFrameReader(64);
        reader.Push(Hex.Parse("01 00 00 05 00A4"), 0, 6);
        Assert.True(reader.InMessage);
        Assert.Equal(6, reader.Received);
        Assert.Equal(9, reader.Expected);
    }

    private static readonly Gen<(byte Type, byte Nad, byte[] Payload)> Message =
        Gen.Select(Gen.Byte, Gen.Byte, Gen.Byte.Array[0, 40]);

    [Fact]
    public void Property_MessagesSplitAnywhere_ComeBackWhole_OversizedOnesFlagged()
    {
        Gen.Select(Message.List[1, 8], Gen.Int[1, 17], Gen.Int[0, 40]).Sample((messages, chunk, max) =>
        {
            var stream = new List<byte>();
            foreach (var m in messages)
            {
                stream.AddRange([m.Type, m.Nad, (byte)(m.Payload.Length >> 8), (byte)m.Payload.Length]);
                stream.AddRange(m.Payload);
            }

            byte[] bytes = [.. stream];
            var reader = new JrcpFrameReader(max);
            var got = new List<(byte, byte, string, bool)>();
            for (int at = 0; at < bytes.Length;)
            {
                int n = Math.Min(chunk, bytes.Length - at);
                int used = 0;
                while (used < n)
                {
                    used += reader.Push(bytes, at + used, n - used);
                    if (reader.IsComplete)
                    {
                        got.Add((reader.Type, reader.Nad, reader.Oversized ? "-" : Hex.Of(reader.Buffer, 4, reader.PayloadLength), reader.Oversized));
                        reader.Reset();
                    }
                }

                at += n;
            }

            Assert.False(reader.InMessage);
            Assert.Equal(messages.Select(m => (m.Type, m.Nad, m.Payload.Length > max ? "-" : Hex.Of(m.Payload), m.Payload.Length > max)), got);
        });
    }

    [Fact]
    public void Property_AnyBytes_NeverThrow_TakeEverything_AndNeverOverrun()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, 64]).Sample((bytes, max) =>
        {
            var reader = new JrcpFrameReader(max);
            int total = 0;
            while (total < bytes.Length)
            {
                int taken = reader.Push(bytes, total, bytes.Length - total);
                Assert.True(taken > 0);
                total += taken;
                Assert.True(reader.Expected == 0 || reader.Received <= reader.Expected);
                if (reader.IsComplete)
                {
                    Assert.Equal(reader.Expected, reader.Received);
                    Assert.Equal(reader.PayloadLength > max, reader.Oversized);
                    reader.Reset();
                }
            }

            Assert.Equal(bytes.Length, total);
        });
    }
}
