using System.Device.Spi;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Host.Bus;

/// <summary>
/// <see cref="ISpiBus"/> over a Linux spidev device through System.Device.Gpio's <see cref="SpiDevice"/>.
/// SPI has no acknowledge, so a failed ioctl is reported as <see cref="BusTransferStatus.UnknownError"/>.
/// </summary>
public sealed class LinuxSpiBus : ISpiBus
{
    /// <summary>Default clock: 1 MHz, well inside what GP T=1' SEs accept (their CIP states the maximum).</summary>
    public const int DefaultClockFrequency = 1_000_000;

    private readonly SpiDevice _device;
    private readonly bool _ownsDevice;
    private readonly byte[] _filler;
    private bool _disposed;

    /// <summary>Wraps an already created device.</summary>
    /// <param name="device">The device.</param>
    /// <param name="ownsDevice">Whether disposing this bus disposes <paramref name="device"/>.</param>
    /// <param name="maxTransfer">Largest read this bus will do, for the filler buffer allocated once here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="device"/> is null.</exception>
    public LinuxSpiBus(SpiDevice device, bool ownsDevice, int maxTransfer = 4096)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTransfer);
        _device = device;
        _ownsDevice = ownsDevice;
        ClockFrequency = device.ConnectionSettings.ClockFrequency;

        // GP T=1' (GPC_SPE_172): the host clocks out filler while reading; 0xFF is what spidev itself sends on a read-only transfer.
        _filler = new byte[maxTransfer];
        Array.Fill(_filler, (byte)0xFF);
    }

    /// <inheritdoc />
    public int ClockFrequency { get; }

    /// <summary>Opens the device named like <c>/dev/spidev0.1</c>.</summary>
    /// <param name="busName">The device node.</param>
    /// <param name="clockFrequency">Clock in hertz.</param>
    /// <param name="mode">SPI mode (GP T=1' SEs use mode 0).</param>
    /// <returns>The open bus.</returns>
    /// <exception cref="HostBusException">The name is wrong, or the node is missing or not accessible.</exception>
    public static LinuxSpiBus Open(string busName, int clockFrequency = DefaultClockFrequency, SpiMode mode = SpiMode.Mode0)
    {
        LinuxBusName name = LinuxBusName.Parse(busName);
        if (!name.IsSpi)
        {
            throw new HostBusException(HostBusError.InvalidBusName, $"'{busName}' is an I2C bus; an SPI device is named like /dev/spidev0.0.");
        }

        return Open(name.BusId, name.ChipSelect, clockFrequency, mode);
    }

    /// <summary>Opens SPI bus <paramref name="busId"/>, chip select <paramref name="chipSelect"/> (<c>/dev/spidevB.C</c>).</summary>
    /// <param name="busId">The bus number.</param>
    /// <param name="chipSelect">The chip-select line.</param>
    /// <param name="clockFrequency">Clock in hertz.</param>
    /// <param name="mode">SPI mode.</param>
    /// <returns>The open bus.</returns>
    /// <exception cref="HostBusException">The node is missing or not accessible, or the clock is not positive.</exception>
    public static LinuxSpiBus Open(int busId, int chipSelect, int clockFrequency = DefaultClockFrequency, SpiMode mode = SpiMode.Mode0)
    {
        if (clockFrequency <= 0)
        {
            throw new HostBusException(HostBusError.InvalidSettings, $"SPI clock {clockFrequency} Hz must be positive.");
        }

        string path = $"/dev/spidev{busId}.{chipSelect}";
        if (busId < 0 || chipSelect < 0 || !File.Exists(path))
        {
            throw new HostBusException(
                HostBusError.DeviceNodeMissing,
                $"no {path}: is the SPI interface enabled (raspi-config, or dtparam=spi=on) and the bus and chip select right? (ls /dev/spidev*)");
        }

        SpiDevice device;
        try
        {
            // System.Device.Gpio opens spidev lazily on the first transfer; the node check above catches the common mistake early.
            device = SpiDevice.Create(new SpiConnectionSettings(busId, chipSelect) { ClockFrequency = clockFrequency, Mode = mode });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LinuxI2cBus.OpenFailure(path, e);
        }

        return new LinuxSpiBus(device, ownsDevice: true);
    }

    /// <inheritdoc />
    public BusTransferResult Write(byte[] buffer, int offset, int count)
    {
        CheckRange(buffer, offset, count);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Run(() => _device.Write(buffer.AsSpan(offset, count)), count);
    }

    /// <inheritdoc />
    public BusTransferResult Read(byte[] buffer, int offset, int count)
    {
        CheckRange(buffer, offset, count);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count > _filler.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"reads are limited to {_filler.Length} bytes on this bus.");
        }

        return Run(() => _device.TransferFullDuplex(_filler.AsSpan(0, count), buffer.AsSpan(offset, count)), count);
    }

    /// <inheritdoc />
    public BusTransferResult TransferFullDuplex(byte[] writeBuffer, int writeOffset, byte[] readBuffer, int readOffset, int count)
    {
        CheckRange(writeBuffer, writeOffset, count);
        CheckRange(readBuffer, readOffset, count);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Run(() => _device.TransferFullDuplex(writeBuffer.AsSpan(writeOffset, count), readBuffer.AsSpan(readOffset, count)), count);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsDevice)
        {
            _device.Dispose();
        }
    }

    private static BusTransferResult Run(Action transfer, int count)
    {
        if (count == 0)
        {
            return new BusTransferResult(BusTransferStatus.FullTransfer, 0);
        }

        try
        {
            transfer();
            return new BusTransferResult(BusTransferStatus.FullTransfer, count);
        }
        catch (IOException)
        {
            // "Error {errno} performing SPI data transfer.": SPI cannot tell a missing device from a busy one.
            return new BusTransferResult(BusTransferStatus.UnknownError, 0);
        }
    }

    private static void CheckRange(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "offset and count must lie inside the buffer.");
        }
    }
}
