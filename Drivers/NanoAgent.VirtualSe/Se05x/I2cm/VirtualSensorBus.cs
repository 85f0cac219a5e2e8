using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.VirtualSe.Se05x.I2cm;

/// <summary>
/// The virtual SE05x's second I2C bus, on which the SE is the controller: sensors at their addresses; any other
/// address never acknowledges, as on a real bus.
/// </summary>
public sealed class VirtualSensorBus : II2cBusFactory
{
    private readonly Dictionary<int, II2cBus> _devices = [];

    /// <summary>Creates a bus with one <see cref="VirtualSensor"/> at 0x44.</summary>
    public VirtualSensorBus()
    {
        Sensor = new VirtualSensor();
        Attach(Sensor);
    }

    /// <summary>Gets the sensor the bus starts with.</summary>
    public VirtualSensor Sensor { get; }

    /// <summary>Attaches a device at its address (replacing any there).</summary>
    /// <param name="device">The device.</param>
    public void Attach(II2cBus device) => _devices[device.Address] = device;

    /// <inheritdoc />
    public II2cBus Open(int address) => _devices.TryGetValue(address, out II2cBus? device) ? device : new Nobody(address);

    private sealed class Nobody(int address) : II2cBus
    {
        public int Address => address;

        public BusTransferResult Write(byte[] buffer, int offset, int count) => new(BusTransferStatus.AddressNotAcknowledged, 0);

        public BusTransferResult Read(byte[] buffer, int offset, int count) => new(BusTransferStatus.AddressNotAcknowledged, 0);

        public BusTransferResult WriteRead(byte[] writeBuffer, int writeOffset, int writeCount, byte[] readBuffer, int readOffset, int readCount) =>
            new(BusTransferStatus.AddressNotAcknowledged, 0);

        public void Dispose()
        {
        }
    }
}
