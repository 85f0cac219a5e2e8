namespace NanoAgent.Drivers.Host.Bus;

/// <summary>
/// A Linux I2C or SPI device could not be opened. Transfers never throw this: their failures are
/// <see cref="NanoAgent.Drivers.Bus.BusTransferStatus"/> values.
/// </summary>
public sealed class HostBusException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The cause.</param>
    /// <param name="message">A message that says what to check.</param>
    /// <param name="inner">The exception from System.Device.Gpio, if any.</param>
    public HostBusException(HostBusError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>Gets the cause.</summary>
    public HostBusError Error { get; }
}
