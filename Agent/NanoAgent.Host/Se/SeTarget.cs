using System.Globalization;

namespace NanoAgent.Host.Se;

/// <summary>Where the SE is and which block protocol it speaks, as the command line said.</summary>
public sealed class SeTarget
{
    /// <summary>The I2C address of an SE05x out of the box.</summary>
    public const int DefaultAddress = 0x48;

    /// <summary>Gets or sets the I2C device node (e.g. /dev/i2c-1), or null.</summary>
    public string? I2cBus { get; init; }

    /// <summary>Gets or sets the SPI device node (e.g. /dev/spidev0.0), "virtual" for a virtual SPI SE, or null.</summary>
    public string? SpiBus { get; init; }

    /// <summary>Gets or sets the 7-bit I2C address.</summary>
    public int Address { get; init; } = DefaultAddress;

    /// <summary>Gets or sets the protocol name: "se05x" or "gp"; null picks se05x on I2C and gp on SPI.</summary>
    public string? Protocol { get; init; }

    /// <summary>Gets or sets the virtual SE's state file.</summary>
    public string StatePath { get; init; } = DefaultStatePath();

    /// <summary>Gets or sets the card of the virtual SE: "gp" (the default) or "se05x".</summary>
    public string Card { get; init; } = "gp";

    /// <summary>Gets or sets the applet major version (3 or 7) a new virtual SE05x is made with, or null for 3.</summary>
    public int? AppletMajor { get; init; }

    /// <summary>Gets a value indicating whether the virtual SE carries the SE05x card.</summary>
    public bool IsSe05xCard => Card == "se05x";

    /// <summary>Gets or sets the SPI clock in hertz.</summary>
    public int SpiClockHz { get; init; } = 1_000_000;

    /// <summary>Gets a value indicating whether the target is the virtual SE.</summary>
    public bool IsVirtual => I2cBus is null && (SpiBus is null || SpiBus == "virtual");

    /// <summary>Gets a value indicating whether the target is on SPI.</summary>
    public bool IsSpi => SpiBus is not null;

    /// <summary>Gets the protocol in force: "se05x" or "gp".</summary>
    public string EffectiveProtocol => Protocol ?? (IsSpi ? "gp" : "se05x");

    /// <summary>The default state file of the virtual SE: ~/.nanoagent/virtual-se.json.</summary>
    /// <returns>The path.</returns>
    public static string DefaultStatePath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nanoagent", "virtual-se.json");

    /// <summary>Parses an I2C address written as 0x48, 48h or decimal 72.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">Not a 7-bit address.</exception>
    public static int ParseAddress(string text)
    {
        string t = text.Trim();
        bool ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(t.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int value)
            : t.EndsWith('h') || t.EndsWith('H')
                ? int.TryParse(t.AsSpan(0, t.Length - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
                : int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
        if (!ok || value < 0x08 || value > 0x77)
        {
            throw new FormatException($"'{text}' is not a 7-bit I2C address between 0x08 and 0x77");
        }

        return value;
    }
}
