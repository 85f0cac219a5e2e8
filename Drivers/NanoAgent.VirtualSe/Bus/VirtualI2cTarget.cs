using NanoAgent.Drivers.Bus;

namespace NanoAgent.VirtualSe.Bus;

/// <summary>
/// A virtual SE as the host sees it on I2C: refuses its address (NACK) while busy or with nothing to send,
/// like SE05x and GP I2C SEs do.
/// </summary>
public sealed class VirtualI2cTarget : II2cBus, IBusSpeedControl
{
    private readonly VirtualTarget _target;

    /// <summary>Creates the target.</summary>
    /// <param name="responder">The card side of the block protocol.</param>
    /// <param name="options">Bus behaviour; defaults if null.</param>
    public VirtualI2cTarget(IBlockResponder responder, VirtualBusOptions? options = null)
    {
        options ??= new VirtualBusOptions();
        Address = options.Address;
        _target = new VirtualTarget(responder, options);
    }

    /// <inheritdoc />
    public int Address { get; }

    /// <summary>Gets the shared target core (faults, counters, trace events).</summary>
    public VirtualTarget Target => _target;

    /// <inheritdoc />
    public BusTransferResult Write(byte[] buffer, int offset, int count) =>
        _target.Write(buffer.AsSpan(offset, count))
            ? new BusTransferResult(BusTransferStatus.FullTransfer, count)
            : new BusTransferResult(BusTransferStatus.AddressNotAcknowledged, 0);

    /// <inheritdoc />
    public BusTransferResult Read(byte[] buffer, int offset, int count)
    {
        int n = _target.Read(buffer.AsSpan(offset, count));
        if (n < 0)
        {
            return new BusTransferResult(BusTransferStatus.AddressNotAcknowledged, 0);
        }

        if (n < count)
        {
            // The target stops acknowledging bytes once its frame is exhausted; the master reads 0xFF.
            buffer.AsSpan(offset + n, count - n).Fill(0xFF);
            return new BusTransferResult(BusTransferStatus.PartialTransfer, n);
        }

        return new BusTransferResult(BusTransferStatus.FullTransfer, n);
    }

    /// <inheritdoc />
    public BusTransferResult WriteRead(byte[] writeBuffer, int writeOffset, int writeCount, byte[] readBuffer, int readOffset, int readCount)
    {
        BusTransferResult w = Write(writeBuffer, writeOffset, writeCount);
        return w.IsComplete ? Read(readBuffer, readOffset, readCount) : w;
    }

    /// <inheritdoc />
    public int SpeedKhz => _target.SpeedKhz;

    /// <inheritdoc />
    /// <remarks>Accepts the I2C standard (100), fast (400) and fast-mode plus (1000) clocks.</remarks>
    public bool TrySetSpeed(int khz)
    {
        if (khz is not (100 or 400 or 1000))
        {
            return false;
        }

        _target.SpeedKhz = khz;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
