using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Host.Bus;

namespace NanoAgent.Drivers.Tests.Host.Bus;

public class LinuxI2cBusTests
{
    [Fact]
    public void Write_Success_ReportsFullTransferAndSendsTheSlice()
    {
        var device = new FakeI2cDevice(0x48);
        using var bus = new LinuxI2cBus(device, ownsDevice: true);

        BusTransferResult result = bus.Write(Hex.Parse("00 5A C0 00 FF FC 00"), 1, 5);

        Assert.Equal(BusTransferStatus.FullTransfer, result.Status);
        Assert.Equal(5, result.BytesTransferred);
        Assert.Equal("5AC000FFFC", Hex.Of(device.Written));
        Assert.Equal(0x48, bus.Address);
    }

    // Linux Documentation/i2c/fault-codes.rst: ENXIO = address not acknowledged; bcm2835 and others use EREMOTEIO.
    [Theory]
    [InlineData(LinuxI2cFault.Enxio)]
    [InlineData(LinuxI2cFault.Eremoteio)]
    public void Read_Nack_IsAddressNotAcknowledgedNotAnException(int errno)
    {
        var device = new FakeI2cDevice(0x48) { FailWithErrno = errno };
        using var bus = new LinuxI2cBus(device, ownsDevice: true);
        var buffer = new byte[4];

        BusTransferResult result = bus.Read(buffer, 1, 2);

        Assert.Equal(BusTransferStatus.AddressNotAcknowledged, result.Status);
        Assert.Equal(0, result.BytesTransferred);
    }

    [Theory]
    [InlineData(LinuxI2cFault.Etimedout, BusTransferStatus.ClockStretchTimeout)]
    [InlineData(5, BusTransferStatus.UnknownError)]
    [InlineData(11, BusTransferStatus.UnknownError)]
    public void WriteRead_OtherErrno_MapsToStatus(int errno, BusTransferStatus expected)
    {
        var device = new FakeI2cDevice(0x48) { FailWithErrno = errno };
        using var bus = new LinuxI2cBus(device, ownsDevice: true);

        BusTransferResult result = bus.WriteRead(new byte[1], 0, 1, new byte[3], 0, 3);

        Assert.Equal(expected, result.Status);
    }

    [Fact]
    public void Read_Success_CopiesIntoOffset()
    {
        var device = new FakeI2cDevice(0x48) { ToRead = Hex.Parse("A5 E0 00") };
        using var bus = new LinuxI2cBus(device, ownsDevice: false);
        var buffer = new byte[5];

        BusTransferResult result = bus.Read(buffer, 2, 3);

        Assert.True(result.IsComplete);
        Assert.Equal("0000A5E000", Hex.Of(buffer));
    }

    [Fact]
    public void Read_ZeroCount_MovesNothing()
    {
        var device = new FakeI2cDevice(0x48) { FailWithErrno = LinuxI2cFault.Enxio };
        using var bus = new LinuxI2cBus(device, ownsDevice: true);

        Assert.Equal(BusTransferStatus.FullTransfer, bus.Read([], 0, 0).Status);
    }

    [Fact]
    public void Write_RangeOutsideBuffer_Throws()
    {
        using var bus = new LinuxI2cBus(new FakeI2cDevice(0x48), ownsDevice: true);

        Assert.Throws<ArgumentOutOfRangeException>(() => bus.Write(new byte[4], 3, 2));
    }

    [Fact]
    public void Dispose_OwnsDevice_DisposesOnce_NotOwned_LeavesOpen()
    {
        var owned = new FakeI2cDevice(0x48);
        var borrowed = new FakeI2cDevice(0x48);

        new LinuxI2cBus(owned, ownsDevice: true).Dispose();
        new LinuxI2cBus(borrowed, ownsDevice: false).Dispose();

        Assert.True(owned.Disposed);
        Assert.False(borrowed.Disposed);
    }

    [Fact]
    public void Open_MissingBus_ThrowsDeviceNodeMissingWithHint()
    {
        // This machine has no I2C adapter; /dev/i2c-7 does not exist.
        var e = Assert.Throws<HostBusException>(() => LinuxI2cBus.Open("/dev/i2c-7", 0x48));

        Assert.Equal(HostBusError.DeviceNodeMissing, e.Error);
        Assert.StartsWith("no /dev/i2c-7: is the I2C interface enabled", e.Message);
        Assert.Contains("bus number right?", e.Message);
    }

    [Theory]
    [InlineData("/dev/spidev0.0")]
    [InlineData("i2c-1")]
    [InlineData("/dev/i2c-")]
    public void Open_NotAnI2cName_ThrowsInvalidBusName(string name)
    {
        var e = Assert.Throws<HostBusException>(() => LinuxI2cBus.Open(name, 0x48));

        Assert.Equal(HostBusError.InvalidBusName, e.Error);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x78)]
    [InlineData(0x148)]
    public void Open_ReservedAddress_ThrowsInvalidSettings(int address)
    {
        var e = Assert.Throws<HostBusException>(() => LinuxI2cBus.Open(1, address));

        Assert.Equal(HostBusError.InvalidSettings, e.Error);
    }

    [Fact]
    public void ErrnoOf_MessageWithoutErrno_FallsBackWithoutThrowing()
    {
        int errno = LinuxI2cFault.ErrnoOf(new IOException("something else"));

        Assert.True(errno == -1 || errno > 0);
    }
}
