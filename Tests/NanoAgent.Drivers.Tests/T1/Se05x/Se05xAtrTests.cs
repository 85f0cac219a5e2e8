using System.Text;
using CsCheck;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.VirtualSe.T1.Se05x;

namespace NanoAgent.Drivers.Tests.T1.Se05x;

public class Se05xAtrTests
{
    // Example ATR of an SE05x (JCOP4), as in /work/shared/protocol-facts.md; lengths checked: DLLP 4, PLP 11 (0x0B), HB 10 (0x0A).
    private const string ExampleAtr = "00 A000000396 04 03E8 00FE 02 0B 03E8 08 01 000000 0064 0000 0A 4A434F503420415450 4F";

    [Fact]
    public void Parse_PublishedExample_ReadsEveryField()
    {
        byte[] data = Hex.Parse(ExampleAtr);
        Assert.Equal(35, data.Length);

        Se05xAtr atr = Se05xAtr.Parse(data, 0, data.Length);

        Assert.Equal(0, atr.ProtocolVersion);
        Assert.Equal("A000000396", Hex.Of(atr.VendorId));
        Assert.Equal(1000, atr.BwtMilliseconds);
        Assert.Equal(254, atr.Ifsc);
        Assert.Equal(2, atr.PhysicalLayerId);
        Assert.Equal(1000, atr.MaxClockKhz);
        Assert.Equal(8, atr.Config);
        Assert.Equal(1, atr.MinPollingTime);
        Assert.Equal(100, atr.GuardTimeMicroseconds);
        Assert.Equal(0, atr.WakeUpTimeMicroseconds);
        Assert.Equal("JCOP4 ATPO", Encoding.ASCII.GetString(atr.HistoricalBytes));
    }

    [Fact]
    public void BuildAtr_Defaults_EqualThePublishedExample()
    {
        Assert.Equal(Hex.Of(Hex.Parse(ExampleAtr)), Hex.Of(new Se05xResponderOptions().BuildAtr()));
    }

    [Fact]
    public void Parse_AtOffset_HonoursOffsetAndCount()
    {
        byte[] data = [0xFF, 0xFF, .. Hex.Parse(ExampleAtr), 0xEE];
        Assert.Equal(254, Se05xAtr.Parse(data, 2, data.Length - 3).Ifsc);
    }

    [Theory]
    [InlineData(34)] // historical bytes truncated
    [InlineData(10)] // inside the DLLP
    [InlineData(0)]
    public void Parse_Truncated_ThrowsInvalidInterfaceParameters(int length)
    {
        byte[] data = Hex.Parse(ExampleAtr);
        var e = Assert.Throws<BlockProtocolException>(() => Se05xAtr.Parse(data, 0, length));
        Assert.Equal(BlockProtocolError.InvalidInterfaceParameters, e.Error);
    }

    [Fact]
    public void Parse_TrailingByte_Throws()
    {
        byte[] data = [.. Hex.Parse(ExampleAtr), 0x00];
        Assert.Equal(BlockProtocolError.InvalidInterfaceParameters, Assert.Throws<BlockProtocolException>(() => Se05xAtr.Parse(data, 0, data.Length)).Error);
    }

    [Fact]
    public void Parse_IfscZero_Throws()
    {
        byte[] data = Hex.Parse(ExampleAtr);
        data[9] = 0;
        data[10] = 0;
        Assert.Equal(BlockProtocolError.InvalidInterfaceParameters, Assert.Throws<BlockProtocolException>(() => Se05xAtr.Parse(data, 0, data.Length)).Error);
    }

    [Fact]
    public void Parse_RandomBytes_ThrowsOnlyBlockProtocolException()
    {
        Gen.Byte.Array[0, 80].Sample(bytes =>
        {
            try
            {
                Se05xAtr atr = Se05xAtr.Parse(bytes, 0, bytes.Length);
                Assert.True(atr.Ifsc > 0);
            }
            catch (BlockProtocolException e)
            {
                Assert.Equal(BlockProtocolError.InvalidInterfaceParameters, e.Error);
            }
        }, iter: 5000);
    }

    [Fact]
    public void Parse_MutatedExample_ThrowsOnlyBlockProtocolException()
    {
        byte[] example = Hex.Parse(ExampleAtr);
        Gen.Select(Gen.Int[0, 34], Gen.Byte).Sample((at, value) =>
        {
            byte[] data = (byte[])example.Clone();
            data[at] = value;
            try
            {
                Se05xAtr.Parse(data, 0, data.Length);
            }
            catch (BlockProtocolException e)
            {
                Assert.Equal(BlockProtocolError.InvalidInterfaceParameters, e.Error);
            }
        }, iter: 2000);
    }
}
