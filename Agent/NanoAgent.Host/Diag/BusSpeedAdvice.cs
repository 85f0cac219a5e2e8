using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Diag;

/// <summary>
/// How a user of the command line sets the bus speed the diagnosis recommends: <c>--speed</c> on the virtual SE and on
/// SPI; on a Linux I2C bus the controller's clock comes from the device tree at boot (i2c-dev cannot change it).
/// </summary>
public sealed class BusSpeedAdvice : IBusSpeedAdvice
{
    private readonly bool _deviceTree;

    private BusSpeedAdvice(bool deviceTree)
    {
        _deviceTree = deviceTree;
    }

    /// <summary>The advice for a target.</summary>
    /// <param name="target">Where the SE is.</param>
    /// <returns>The advice.</returns>
    public static BusSpeedAdvice For(SeTarget target) => new(target.I2cBus is not null);

    /// <inheritdoc />
    public string HowToSet(int khz) => _deviceTree
        ? $"set it in the device tree, e.g. dtparam=i2c_arm_baudrate={khz * 1000} in config.txt on a Raspberry Pi, then reboot"
        : $"--speed {khz}";
}
