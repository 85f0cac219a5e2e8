using System;
using System.Device.I2c;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Device.Bus;
using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// Opens any address of one I2C bus for the boot-time address scan. The SE's own address reuses the device the agent
    /// already holds (not disposed by the scan), so no second <c>I2cDevice</c> is ever opened on it.
    /// </summary>
    public sealed class I2cScanFactory : II2cBusFactory
    {
        private readonly int _busId;
        private readonly int _seAddress;
        private readonly I2cDevice _seDevice;

        /// <summary>Creates the factory.</summary>
        /// <param name="busId">The nanoFramework bus id.</param>
        /// <param name="seAddress">The SE's address.</param>
        /// <param name="seDevice">The device already open at <paramref name="seAddress"/>.</param>
        public I2cScanFactory(int busId, int seAddress, I2cDevice seDevice)
        {
            _busId = busId;
            _seAddress = seAddress;
            _seDevice = seDevice;
        }

        /// <inheritdoc />
        public II2cBus Open(int address)
        {
            if (address == _seAddress)
            {
                return new NanoI2cBus(_seDevice, address, false);
            }

            try
            {
                return NanoI2cBus.Open(_busId, address, I2cBusSpeed.StandardMode);
            }
            catch (Exception)
            {
                // The platform refused this address (reserved or in use): the scan skips it.
                return null;
            }
        }
    }
}
