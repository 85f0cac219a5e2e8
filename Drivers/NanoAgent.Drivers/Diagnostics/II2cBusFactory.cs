using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>Opens the I2C target at any address of one bus, for the address scan.</summary>
    public interface II2cBusFactory
    {
        /// <summary>Opens the target at <paramref name="address"/>; the caller disposes it.</summary>
        /// <param name="address">The 7-bit address.</param>
        /// <returns>The target, or null when the platform cannot open that address.</returns>
        II2cBus Open(int address);
    }
}
