namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// Optional capability of a bus whose clock can be changed at run time, used by the wiring diagnostics to find the
    /// fastest speed that moves frames without errors. Buses that cannot change speed simply do not implement it.
    /// </summary>
    public interface IBusSpeedControl
    {
        /// <summary>Gets the clock now in force, in kHz.</summary>
        int SpeedKhz { get; }

        /// <summary>Tries to change the bus clock.</summary>
        /// <param name="khz">The clock wanted, in kHz (I2C: 100 standard, 400 fast, 1000 fast-mode plus).</param>
        /// <returns>True when the bus now runs at <paramref name="khz"/>.</returns>
        bool TrySetSpeed(int khz);
    }
}
