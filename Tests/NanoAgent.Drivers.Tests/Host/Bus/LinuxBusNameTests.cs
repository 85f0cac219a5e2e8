using CsCheck;
using NanoAgent.Drivers.Host.Bus;

namespace NanoAgent.Drivers.Tests.Host.Bus;

public class LinuxBusNameTests
{
    [Theory]
    [InlineData("/dev/i2c-1", false, 1, -1)]
    [InlineData("/dev/i2c-0", false, 0, -1)]
    [InlineData("/dev/i2c-22", false, 22, -1)]
    [InlineData("/dev/spidev0.1", true, 0, 1)]
    [InlineData("/dev/spidev1.0", true, 1, 0)]
    public void Parse_ValidName_GivesBusAndChipSelect(string name, bool isSpi, int bus, int cs)
    {
        LinuxBusName parsed = LinuxBusName.Parse(name);

        Assert.Equal(isSpi, parsed.IsSpi);
        Assert.Equal(bus, parsed.BusId);
        Assert.Equal(cs, parsed.ChipSelect);
        Assert.Equal(name, parsed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/dev/i2c")]
    [InlineData("/dev/i2c-")]
    [InlineData("/dev/i2c--1")]
    [InlineData("/dev/i2c-1 ")]
    [InlineData("/dev/i2c-x")]
    [InlineData("/dev/spidev0")]
    [InlineData("/dev/spidev0.")]
    [InlineData("/dev/spidev.1")]
    [InlineData("/dev/spidev0.1.2")]
    [InlineData("/dev/ttyUSB0")]
    [InlineData("/dev/i2c-99999")]
    public void Parse_BadName_ThrowsInvalidBusNameWithExamples(string name)
    {
        var e = Assert.Throws<HostBusException>(() => LinuxBusName.Parse(name));

        Assert.Equal(HostBusError.InvalidBusName, e.Error);
        Assert.Contains("/dev/i2c-1", e.Message);
        Assert.Contains("/dev/spidev0.0", e.Message);
    }

    [Fact]
    public void Parse_Null_ThrowsInvalidBusName()
    {
        Assert.Equal(HostBusError.InvalidBusName, Assert.Throws<HostBusException>(() => LinuxBusName.Parse(null)).Error);
    }

    [Fact]
    public void Parse_RandomText_OnlyEverThrowsHostBusException()
    {
        Gen.OneOf(Gen.String, Gen.Char["/dev/i2cspi-.0123456789x "].Array[0, 20].Select(c => new string(c)))
            .Sample(text =>
            {
                try
                {
                    LinuxBusName parsed = LinuxBusName.Parse(text);
                    Assert.True(parsed.BusId >= 0);
                    Assert.Equal(text, parsed.Path);
                }
                catch (HostBusException e)
                {
                    Assert.Equal(HostBusError.InvalidBusName, e.Error);
                }
            }, iter: 2000);
    }
}
