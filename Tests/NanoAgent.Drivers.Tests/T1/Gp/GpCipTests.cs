using CsCheck;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.VirtualSe.T1.Gp;

namespace NanoAgent.Drivers.Tests.T1.Gp;

public class GpCipTests
{
    // Hand-built from the GPC_SPE_172 §4.3 layout: PVER 01, IIN 4 bytes, PLID 02 (I2C), PLP 8 bytes
    // (CONFIG 00, PWT 19, MCF 0190, PST 00, MPOT 0A, RWGT 00C8), DLLP 4 bytes (BWT 012C, IFSC 00FE), HB "ABC".
    private const string I2cCip = "01 04 00000001 02 08 00 19 0190 00 0A 00C8 04 012C 00FE 03 414243";

    [Fact]
    public void Parse_I2cCip_ReadsEveryField()
    {
        byte[] data = Hex.Parse("FF" + I2cCip);
        GpCip cip = GpCip.Parse(data, 1, data.Length - 1);
        Assert.Equal(1, cip.Version);
        Assert.Equal("00000001", Hex.Of(cip.Iin));
        Assert.Equal(GpPhysicalLayer.I2c, cip.PhysicalLayer);
        Assert.Equal(0x19, cip.PowerWakeUpTimeMs);
        Assert.Equal(400, cip.MaxClockKhz);
        Assert.Equal(10, cip.MinPollingTime100Us);
        Assert.Equal(200, cip.GuardTimeUs);
        Assert.Equal(300, cip.BwtMs);
        Assert.Equal(254, cip.Ifsc);
        Assert.Equal("414243", Hex.Of(cip.HistoricalBytes));
    }

    [Fact]
    public void Parse_SpiCipFromVirtualSe_ReadsSpiParameters()
    {
        byte[] data = new GpT1ResponderOptions
        {
            PhysicalLayer = GpPhysicalLayer.Spi, Ifsc = 0xFF9, BwtMs = 1000, GuardTimeUs = 250, MinPollingTime100Us = 3,
        }.BuildCip();
        GpCip cip = GpCip.Parse(data, 0, data.Length);
        Assert.Equal(GpPhysicalLayer.Spi, cip.PhysicalLayer);
        Assert.Equal(0xFF9, cip.Ifsc);
        Assert.Equal(1000, cip.BwtMs);
        Assert.Equal(250, cip.GuardTimeUs);
        Assert.Equal(3, cip.MinPollingTime100Us);
        Assert.Equal(16, cip.SeAccessLength);
    }

    [Theory]
    [InlineData("01 04 00000001 03 08 00 19 0190 00 0A 00C8 04 012C 00FE 03 414243")] // PLID 3 unknown
    [InlineData("01 04 00000001 01 08 00 19 0190 00 0A 00C8 04 012C 00FE 03 414243")] // SPI PLP too short
    [InlineData("01 04 00000001 02 08 00 19 0190 00 0A 00C8 04 012C 0000 03 414243")] // IFSC 0
    [InlineData("01 04 00000001 02 08 00 19 0190 00 0A 00C8 04 012C 0FFA 03 414243")] // IFSC above 0xFF9
    [InlineData("01 04 00000001 02 08 00 19 0190 00 0A 00C8 04 0000 00FE 03 414243")] // BWT 0
    [InlineData("01 04 00000001 02 08 00 19 0190 00 0A 00C8 03 012C 00 03 414243")] // DLLP too short
    [InlineData("01 04 00000001 02 08 00 19 0190 00 0A 00C8 04 012C 00FE 03 414243 00")] // trailing byte
    [InlineData("01 04 00000001 02 08 00 19 0190 00 0A 00C8 04 012C 00FE 04 414243")] // HB runs past the end
    [InlineData("")]
    public void Parse_Malformed_ThrowsInvalidInterfaceParameters(string hex)
    {
        byte[] data = Hex.Parse(hex);
        var e = Assert.Throws<BlockProtocolException>(() => GpCip.Parse(data, 0, data.Length));
        Assert.Equal(BlockProtocolError.InvalidInterfaceParameters, e.Error);
    }

    [Fact]
    public void Parse_EveryTruncation_ThrowsInvalidInterfaceParameters()
    {
        byte[] data = Hex.Parse(I2cCip);
        for (int n = 0; n < data.Length; n++)
        {
            Assert.Equal(BlockProtocolError.InvalidInterfaceParameters, Assert.Throws<BlockProtocolException>(() => GpCip.Parse(data, 0, n)).Error);
        }
    }

    [Fact]
    public void Parse_RandomBytes_ThrowsOnlyInvalidInterfaceParameters()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            try
            {
                GpCip cip = GpCip.Parse(bytes, 0, bytes.Length);
                return cip.Ifsc is >= 1 and <= 0xFF9 && cip.BwtMs > 0;
            }
            catch (BlockProtocolException e)
            {
                return e.Error == BlockProtocolError.InvalidInterfaceParameters;
            }
        }, iter: 2000);
    }

    [Fact]
    public void Parse_MutatedValidCip_ThrowsOnlyInvalidInterfaceParameters()
    {
        byte[] valid = Hex.Parse(I2cCip);
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte).Sample((at, value) =>
        {
            byte[] data = (byte[])valid.Clone();
            data[at] = value;
            try
            {
                GpCip.Parse(data, 0, data.Length);
            }
            catch (BlockProtocolException e)
            {
                Assert.Equal(BlockProtocolError.InvalidInterfaceParameters, e.Error);
            }
        }, iter: 2000);
    }
}
