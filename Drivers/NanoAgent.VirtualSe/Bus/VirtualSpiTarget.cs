using NanoAgent.Drivers.Bus;

namespace NanoAgent.VirtualSe.Bus;

/// <summary>
/// A virtual SE as the host sees it on SPI: clocks out filler bytes while busy or with nothing to send.
/// </summary>
public sealed class VirtualSpiTarget : ISpiBus
{
    private readonly VirtualTarget _target;
    private readonly byte _filler;

    /// <summary>Creates the target.</summary>
    /// <param name="responder">The card side of the block protocol.</param>
    /// <param name="options">Bus behaviour; defaults if null.</param>
    public VirtualSpiTarget(IBlockResponder responder, VirtualBusOptions? options = null)
    {
        options ??= new VirtualBusOptions();
        _filler = options.SpiFiller;
        _target = new VirtualTarget(responder, options);
    }

    /// <inheritdoc />
    public int ClockFrequency => 1_000_000;

    /// <summary>Gets the shared target core (faults, counters, trace events).</summary>
    public VirtualTarget Target => _target;

    /// <inheritdoc />
    public BusTransferResult Write(byte[] buffer, int offset, int count)
    {
        _target.Write(buffer.AsSpan(offset, count));
        return new BusTransferResult(BusTransferStatus.FullTransfer, count);
    }

    /// <inheritdoc />
    public BusTransferResult Read(byte[] buffer, int offset, int count)
    {
        int n = _target.Read(buffer.AsSpan(offset, count));
        if (n < 0)
        {
            n = 0;
        }

        buffer.AsSpan(offset + n, count - n).Fill(_filler);
        return new BusTransferResult(BusTransferStatus.FullTransfer, count);
    }

    /// <inheritdoc />
    public BusTransferResult TransferFullDuplex(byte[] writeBuffer, int writeOffset, byte[] readBuffer, int readOffset, int count)
    {
        Write(writeBuffer, writeOffset, count);
        return Read(readBuffer, readOffset, count);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
