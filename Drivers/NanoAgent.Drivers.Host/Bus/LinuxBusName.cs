using System.Globalization;

namespace NanoAgent.Drivers.Host.Bus;

/// <summary>
/// A parsed CLI bus name: <c>/dev/i2c-1</c> (I2C bus 1) or <c>/dev/spidev0.1</c> (SPI bus 0, chip select 1),
/// the names the Linux i2c-dev and spidev drivers give their device nodes.
/// </summary>
public sealed class LinuxBusName
{
    private const string I2cPrefix = "/dev/i2c-";
    private const string SpiPrefix = "/dev/spidev";

    private LinuxBusName(string path, bool isSpi, int busId, int chipSelect)
    {
        Path = path;
        IsSpi = isSpi;
        BusId = busId;
        ChipSelect = chipSelect;
    }

    /// <summary>Gets the device node path, such as <c>/dev/i2c-1</c>.</summary>
    public string Path { get; }

    /// <summary>Gets a value indicating whether this names an SPI device rather than an I2C bus.</summary>
    public bool IsSpi { get; }

    /// <summary>Gets the bus number.</summary>
    public int BusId { get; }

    /// <summary>Gets the SPI chip-select line, or -1 for I2C.</summary>
    public int ChipSelect { get; }

    /// <summary>Parses a bus name.</summary>
    /// <param name="name">A name such as <c>/dev/i2c-1</c> or <c>/dev/spidev0.1</c>.</param>
    /// <returns>The parsed name.</returns>
    /// <exception cref="HostBusException">The name is not one of the two forms (<see cref="HostBusError.InvalidBusName"/>).</exception>
    public static LinuxBusName Parse(string? name)
    {
        if (TryParse(name, out LinuxBusName? parsed))
        {
            return parsed!;
        }

        throw new HostBusException(
            HostBusError.InvalidBusName,
            $"'{name}' is not a bus name: use /dev/i2c-<bus> (e.g. /dev/i2c-1) or /dev/spidev<bus>.<cs> (e.g. /dev/spidev0.0).");
    }

    /// <summary>Parses a bus name without throwing.</summary>
    /// <param name="name">The text to parse.</param>
    /// <param name="parsed">The parsed name, or null.</param>
    /// <returns>Whether <paramref name="name"/> was a valid bus name.</returns>
    public static bool TryParse(string? name, out LinuxBusName? parsed)
    {
        parsed = null;
        if (name is null)
        {
            return false;
        }

        if (name.StartsWith(I2cPrefix, StringComparison.Ordinal))
        {
            if (TryNumber(name.AsSpan(I2cPrefix.Length), out int bus))
            {
                parsed = new LinuxBusName(name, false, bus, -1);
                return true;
            }

            return false;
        }

        if (name.StartsWith(SpiPrefix, StringComparison.Ordinal))
        {
            ReadOnlySpan<char> rest = name.AsSpan(SpiPrefix.Length);
            int dot = rest.IndexOf('.');
            if (dot > 0 && TryNumber(rest[..dot], out int bus) && TryNumber(rest[(dot + 1)..], out int cs))
            {
                parsed = new LinuxBusName(name, true, bus, cs);
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Path;

    // Plain decimal digits only: no sign, no spaces, at most 4 digits (the kernel numbers adapters well below that).
    private static bool TryNumber(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 4)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
