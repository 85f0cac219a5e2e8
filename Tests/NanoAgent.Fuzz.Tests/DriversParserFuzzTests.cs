using CsCheck;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Jrcp;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Fuzz.Tests;

/// <summary>Mutation fuzzing of the portable Drivers parsers from Tests/Corpus (see <see cref="Fuzzer"/>).</summary>
public class DriversParserFuzzTests
{
    [Fact]
    public void JrcpFrameReader_MutatedStreams_NeverThrow_AndStayInStep() => Fuzzer.Run("JrcpFrameReader", b =>
    {
        // NXP accessManager.h "General Message Format": [MTY][NAD][LNH][LNL][payload]; the reader classifies, never throws.
        var reader = new JrcpFrameReader(16);
        for (int at = 0; at < b.Length;)
        {
            at += reader.Push(b, at, b.Length - at);
            Assert.True(reader.Expected == 0 || reader.Received <= reader.Expected);
            if (reader.IsComplete)
            {
                Assert.Equal(reader.PayloadLength > 16, reader.Oversized);
                reader.Reset();
            }
        }
    }, _ => false);

    [Fact]
    public void GpFrameCodec_MutatedFrames_NeverThrow() => Fuzzer.Run("GpFrameCodec", b =>
    {
        // GPC_SPE_172 §7.1: Check classifies, it never throws.
        GpFrameStatus status = GpFrameCodec.Check(b, 0, b.Length);
        if (status == GpFrameStatus.Valid)
        {
            Assert.Equal(b.Length, GpFrameCodec.Overhead + GpFrameCodec.InformationLength(b, 0));
        }

        GpFrameCodec.DecodeIfs(b, 0, Math.Min(b.Length, 3));
    }, _ => false);

    [Fact]
    public void GpCip_MutatedCips_ThrowOnlyBlockProtocolException() => Fuzzer.Run("GpCip", b =>
    {
        GpCip cip = GpCip.Parse(b, 0, b.Length);
        Assert.InRange(cip.Ifsc, 1, GpFrameCodec.MaxIfs);
    }, e => e is BlockProtocolException { Error: BlockProtocolError.InvalidInterfaceParameters });

    [Fact]
    public void Se05xFrameCodec_MutatedFrames_NeverThrow() => Fuzzer.Run("Se05xFrameCodec", b =>
    {
        byte[] frame = new byte[Math.Max(b.Length, 1)];
        b.CopyTo(frame, 0);
        if (Se05xFrameCodec.IsValid(frame, b.Length))
        {
            Assert.Equal(b.Length, Se05xFrameCodec.HeaderLength + b[2] + Se05xFrameCodec.CrcLength);
        }
    }, _ => false);

    [Fact]
    public void Se05xAtr_MutatedAtrs_ThrowOnlyBlockProtocolException() => Fuzzer.Run("Se05xAtr", b =>
    {
        Se05xAtr atr = Se05xAtr.Parse(b, 0, b.Length);
        Assert.True(atr.Ifsc > 0);
    }, e => e is BlockProtocolException { Error: BlockProtocolError.InvalidInterfaceParameters });

    [Fact]
    public void CommandApduView_MutatedApdus_NeverThrow() => Fuzzer.Run("CommandApduView", b =>
    {
        if (CommandApduView.TryParse(b, 0, b.Length, out CommandApduView v) == 0)
        {
            Assert.True(v.Nc == 0 || v.DataOffset + v.Nc <= b.Length);
        }
    }, _ => false);

    [Fact]
    public void BerTlvReader_MutatedTlvs_ThrowOnlyTlvExceptionAndEndInBoundedSteps() => Fuzzer.Run("BerTlvReader", b =>
    {
        int steps = 0;
        try
        {
            Walk(new BerTlvReader(b, 0, b.Length), ref steps, 0);
        }
        finally
        {
            // Each object takes at least two bytes and each of at most 8 levels visits its bytes once.
            Assert.True(steps <= (b.Length * 8) + 1, $"{steps} steps for {b.Length} bytes");
        }
    }, e => e is TlvException);

    [Fact]
    public void Se05xResponse_MutatedResponses_ThrowOnlySe05xException()
    {
        Action<byte[]>[] parsers =
        [
            b => Se05xResponse.ReadStatus(b, 0, b.Length),
            b => Se05xResponse.ReadTag1(b, 0, b.Length, out _, out _),
            b => Se05xResponse.ReadResult(b, 0, b.Length, out _),
            b => Se05xResponse.ReadCounter(b, 0, b.Length, out _, out _),
            b => Se05xAttestedI2cmResponse.TryParse(b, 0, b.Length, true, out _),
            b => Se05xAttestedI2cmResponse.TryParse(b, 0, b.Length, false, out _),
            b => Se05xI2cmResult.Walk(b, 0, b.Length, out _, out _),
            b => Se05xAppletVersion.TryParse(b, 0, b.Length, out _),
        ];
        Fuzzer.Run("Se05xResponse", b =>
        {
            foreach (Action<byte[]> parse in parsers)
            {
                Fuzzer.Check(b, parse, e => e is Se05xException);
            }
        }, _ => false);
    }

    [Fact]
    public void DelegatedReceipt_MutatedResponses_NeverThrowAndStayInBounds() => Fuzzer.Run("DelegatedReceipt", b =>
    {
        if (DelegatedReceipt.TryParse(b, 0, b.Length, out int receipt, out int counter, out int cud, out int cudLength))
        {
            // GPC v2.3.1 §11.1.6 confirmation structure: 16-byte receipt, 2-byte counter, card unique data to the end.
            Assert.InRange(receipt, 1, b.Length - DelegatedReceipt.ReceiptLength);
            Assert.InRange(counter, 0, 0xFFFF);
            Assert.Equal(b.Length, cud + cudLength);
        }
    }, _ => false);

    [Fact]
    public void DelegatedReceipt_RandomRanges_NeverThrow()
    {
        Gen.Select(Gen.Byte.Array[0, 80], Gen.Int[-5, 90], Gen.Int[-5, 90]).Sample((b, offset, count) =>
        {
            if (DelegatedReceipt.TryParse(b, offset, count, out int receipt, out _, out int cud, out int cudLength))
            {
                Assert.True(receipt >= offset && cud + cudLength == offset + count && offset + count <= b.Length);
            }
        }, iter: 5000);
    }

    private static void Walk(BerTlvReader reader, ref int steps, int depth)
    {
        while (reader.Read())
        {
            steps++;
            if (reader.IsConstructed && depth < 8)
            {
                Walk(reader.OpenValue(), ref steps, depth + 1);
            }
        }
    }
}
