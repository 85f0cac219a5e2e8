using System.Device.I2c;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Host.Bus;

/// <summary>
/// <see cref="II2cBus"/> over a Linux i2c-dev bus through System.Device.Gpio's <see cref="I2cDevice"/>.
/// Transfer failures (a NACK while the SE is busy, a timeout) come back as statuses, never as exceptions.
/// </summary>
public sealed class LinuxI2cBus : II2cBus
{
    private readonly I2cDevice _device;
    private readonly bool _ownsDevice;
    private bool _disposed;

    /// <summary>Wraps an already created device (any System.Device.Gpio I2C implementation).</summary>
    /// <param name="device">The device.</param>
    /// <param name="ownsDevice">Whether disposing this bus disposes <paramref name="device"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="device"/> is null.</exception>
    public LinuxI2cBus(I2cDevice device, bool ownsDevice)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        _ownsDevice = ownsDevice;
        Address = device.ConnectionSettings.DeviceAddress;
    }

    /// <inheritdoc />
    public int Address { get; }

    /// <summary>Opens the target at <paramref name="address"/> on the bus named like <c>/dev/i2c-1</c>.</summary>
    /// <param name="busName">The device node.</param>
    /// <param name="address">The 7-bit target address (SE05x: 0x48).</param>
    /// <returns>The open bus.</returns>
    /// <exception cref="HostBusException">The name is wrong, the node is missing or not accessible, or the address is out of range.</exception>
    public static LinuxI2cBus Open(string busName, int address)
    {
        LinuxBusName name = LinuxBusName.Parse(busName);
        if (name.IsSpi)
        {
            throw new HostBusException(HostBusError.InvalidBusName, $"'{busName}' is an SPI device; an I2C bus is named like /dev/i2c-1.");
        }

        return Open(name.BusId, address);
    }

    /// <summary>Opens the target at <paramref name="address"/> on I2C bus <paramref name="busId"/> (<c>/dev/i2c-busId</c>).</summary>
    /// <param name="busId">The bus number.</param>
    /// <param name="address">The 7-bit target address.</param>
    /// <returns>The open bus.</returns>
    /// <exception cref="HostBusException">The node is missing or not accessible, or an argument is out of range.</exception>
    public static LinuxI2cBus Open(int busId, int address)
    {
        if (address < 0x08 || address > 0x77)
        {
            // 0x00-0x07 and 0x78-0x7F are reserved by the I2C specification (UM10204 §3.1.12).
            throw new HostBusException(HostBusError.InvalidSettings, $"I2C address 0x{address:X2} is reserved or not 7-bit; SE05x answers at 0x48.");
        }

        string path = $"/dev/i2c-{busId}";
        if (busId < 0 || !File.Exists(path))
        {
            throw new HostBusException(
                HostBusError.DeviceNodeMissing,
                $"no {path}: is the I2C interface enabled (raspi-config, or dtparam=i2c_arm=on) and the bus number right? (ls /dev/i2c-*)");
        }

        I2cDevice device;
        try
        {
            device = I2cDevice.Create(new I2cConnectionSettings(busId, address));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OpenFailure(path, e);
        }

        return new LinuxI2cBus(device, ownsDevice: true);
    }

    /// <inheritdoc />
    public BusTransferResult Write(byte[] buffer, int offset, int count)
    {
        CheckRange(buffer, offset, count);
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            _device.Write(buffer.AsSpan(offset, count));
            return new BusTransferResult(BusTransferStatus.FullTransfer, count);
        }
        catch (IOException e)
        {
            return new BusTransferResult(LinuxI2cFault.FromException(e), 0);
        }
    }

    /// <inheritdoc />
    public BusTransferResult Read(byte[] buffer, int offset, int count)
    {
        CheckRange(buffer, offset, count);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count == 0)
        {
            // System.Device.Gpio rejects an empty read buffer; an empty read moves nothing.
            return new BusTransferResult(BusTransferStatus.FullTransfer, 0);
        }

        try
        {
            _device.Read(buffer.AsSpan(offset, count));
            return new BusTransferResult(BusTransferStatus.FullTransfer, count);
        }
        catch (IOException e)
        {
            return new BusTransferResult(LinuxI2cFault.FromException(e), 0);
        }
    }

    /// <inheritdoc />
    public BusTransferResult WriteRead(byte[] writeBuffer, int writeOffset, int writeCount, byte[] readBuffer, int readOffset, int readCount)
    {
        CheckRange(writeBuffer, writeOffset, writeCount);
        CheckRange(readBuffer, readOffset, readCount);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (readCount == 0)
        {
            return Write(writeBuffer, writeOffset, writeCount);
        }

        try
        {
            _device.WriteRead(writeBuffer.AsSpan(writeOffset, writeCount), readBuffer.AsSpan(readOffset, readCount));
            return new BusTransferResult(BusTransferStatus.FullTransfer, writeCount + readCount);
        }
        catch (IOException e)
        {
            return new BusTransferResult(LinuxI2cFault.FromException(e), 0);
        }
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

    internal static HostBusException OpenFailure(string path, Exception e)
    {
        // System.Device.Gpio: "Error {errno}. Can not open ... device file '{path}'." EACCES = 13.
        bool denied = e is UnauthorizedAccessException || (e is IOException io && LinuxI2cFault.ErrnoOf(io) == 13);
        return denied
            ? new HostBusException(HostBusError.AccessDenied, $"cannot open {path}: permission denied (add the user to the i2c/spi group, or run with sudo).", e)
            : new HostBusException(HostBusError.OpenFailed, $"cannot open {path}: {e.Message}", e);
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
