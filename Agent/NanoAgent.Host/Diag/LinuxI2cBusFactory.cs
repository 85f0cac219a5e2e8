using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Drivers.Host.Bus;

namespace NanoAgent.Host.Diag;

/// <summary>Opens any address of one Linux I2C bus (/dev/i2c-N) for the diagnostics' address scan.</summary>
/// <param name="busName">The device node, e.g. /dev/i2c-1.</param>
public sealed class LinuxI2cBusFactory(string busName) : II2cBusFactory
{
    /// <inheritdoc />
    public II2cBus Open(int address)
    {
        try
        {
            return LinuxI2cBus.Open(busName, address);
        }
        catch (HostBusException)
        {
            // An address the kernel will not hand out (a driver owns it, shown UU by i2cdetect) is skipped.
            return null!;
        }
    }
}
