using System.Device.I2c;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Device.Bus;
using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.Device.Platform
{
    /// <summary>Opens any address of one I2C bus for the boot-time address scan of the wiring diagnostics.</summary>
    public sealed class I2cScanFactory : II2cBusFactory
    {
        private readonly int _busId;

        /// <summary>Creates the factory.</summary>
        /// <param name="busId">The nanoFramework bus id.</param>
        public I2cScanFactory(int busId)
        {
            _busId = busId;
        }

        /// <inheritdoc />
        public II2cBus Open(int address)
        {
            return NanoI2cBus.Open(_busId, address, I2cBusSpeed.StandardMode);
        }
    }
}
