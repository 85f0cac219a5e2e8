namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>
    /// Tells the user how to set the bus speed the diagnostics recommend: a command-line option on the host, a device-tree
    /// setting for a Linux I2C controller, a configuration key on a board. Without one the advice names only the speed.
    /// </summary>
    public interface IBusSpeedAdvice
    {
        /// <summary>Says how to run the bus at a speed, for example "--speed 100".</summary>
        /// <param name="khz">The speed in kHz.</param>
        /// <returns>A short phrase the advice shows in brackets after the speed.</returns>
        string HowToSet(int khz);
    }
}
