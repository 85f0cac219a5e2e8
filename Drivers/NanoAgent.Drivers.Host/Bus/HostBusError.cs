namespace NanoAgent.Drivers.Host.Bus;

/// <summary>Why a Linux I2C or SPI device could not be opened.</summary>
public enum HostBusError
{
    /// <summary>The bus name is not of the form <c>/dev/i2c-N</c> or <c>/dev/spidevB.C</c>.</summary>
    InvalidBusName = 1,

    /// <summary>The device node does not exist (interface disabled, or wrong bus number).</summary>
    DeviceNodeMissing = 2,

    /// <summary>The device node exists but this user may not open it.</summary>
    AccessDenied = 3,

    /// <summary>The kernel refused to open or configure the device for another reason.</summary>
    OpenFailed = 4,

    /// <summary>The target address or settings are out of range.</summary>
    InvalidSettings = 5,
}
