using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.VirtualSe.Bus;

/// <summary>
/// One virtual I2C bus with targets at their addresses: opening any other address gives a target that never
/// acknowledges, as on a real bus. What the wiring diagnostics scan in tests and demos.
/// </summary>
public sealed class VirtualI2cSegment : II2cBusFactory
{
    private readonly Dictionary<int, II2cBus> _targets = [];

    /// <summary>Gets or sets whether the whole bus is stuck (SDA held low): every transfer times out.</summary>
    public bool Stuck { get; set; }

    /// <summary>Attaches a target at its address.</summary>
    /// <param name="target">The target.</param>
    public void Attach(VirtualI2cTarget target) => _targets[target.Address] = target;

    /// <inheritdoc />
    public II2cBus Open(int address) =>
        !Stuck && _targets.TryGetValue(address, out II2cBus? bus) ? new Borrowed(bus) : new Empty(address, Stuck);

    /// <summary>A target opened from the segment; disposing it leaves the target attached.</summary>
    private sealed class Borrowed(II2cBus inner) : II2cBus
    {
        public int Address => inner.Address;

        public BusTransferResult Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public BusTransferResult Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public BusTransferResult WriteRead(byte[] writeBuffer, int writeOffset, int writeCount, byte[] readBuffer, int readOffset, int readCount) =>
            inner.WriteRead(writeBuffer, writeOffset, writeCount, readBuffer, readOffset, readCount);

        public void Dispose()
        {
        }
    }

    /// <summary>An address nobody answers (or a stuck bus).</summary>
    private sealed class Empty(int address, bool stuck) : II2cBus
    {
        private BusTransferResult Refused => new(stuck ? BusTransferStatus.ClockStretchTimeout : BusTransferStatus.AddressNotAcknowledged, 0);

        public int Address => address;

        public BusTransferResult Write(byte[] buffer, int offset, int count) => Refused;

        public BusTransferResult Read(byte[] buffer, int offset, int count) => Refused;

        public BusTransferResult WriteRead(byte[] writeBuffer, int writeOffset, int writeCount, byte[] readBuffer, int readOffset, int readCount) => Refused;

        public void Dispose()
        {
        }
    }
}
