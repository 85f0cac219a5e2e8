namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>Physical layer identifier (PLID) of a CIP (GPC_SPE_172 §4.3).</summary>
    public enum GpPhysicalLayer
    {
        /// <summary>SPI: a busy SE clocks out filler bytes.</summary>
        Spi = 1,

        /// <summary>I2C: a busy SE does not acknowledge its address.</summary>
        I2c = 2,
    }
}
