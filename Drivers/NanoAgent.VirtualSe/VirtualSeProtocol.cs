namespace NanoAgent.VirtualSe;

/// <summary>Which block protocol and bus the virtual SE speaks.</summary>
public enum VirtualSeProtocol
{
    /// <summary>NXP SE05x T=1 over I2C (UM11225).</summary>
    Se05xI2c,

    /// <summary>GlobalPlatform T=1' over I2C (GPC_SPE_172).</summary>
    GpI2c,

    /// <summary>GlobalPlatform T=1' over SPI (GPC_SPE_172).</summary>
    GpSpi,
}
