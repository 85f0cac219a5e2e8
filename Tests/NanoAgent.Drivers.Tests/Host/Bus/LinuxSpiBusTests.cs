using NanoAgent.Drivers.Host.Bus;

namespace NanoAgent.Drivers.Tests.Host.Bus;

public class LinuxSpiBusTests
{
    [Fact]
    public void Open_MissingDevice_ThrowsDeviceNodeMissingWithHint()
    {
        var e = Assert.Throws<HostBusException>(() => LinuxSpiBus.Open("/dev/spidev7.1"));

        Assert.Equal(HostBusError.DeviceNodeMissing, e.Error);
        Assert.StartsWith("no /dev/spidev7.1: is the SPI interface enabled", e.Message);
    }

    [Fact]
    public void Open_I2cName_ThrowsInvalidBusName()
    {
        var e = Assert.Throws<HostBusException>(() => LinuxSpiBus.Open("/dev/i2c-1"));

        Assert.Equal(HostBusError.InvalidBusName, e.Error);
    }

    [Fact]
    public void Open_NonPositiveClock_ThrowsInvalidSettings()
    {
        var e = Assert.Throws<HostBusException>(() => LinuxSpiBus.Open(0, 0, clockFrequency: 0));

        Assert.Equal(HostBusError.InvalidSettings, e.Error);
    }
}
