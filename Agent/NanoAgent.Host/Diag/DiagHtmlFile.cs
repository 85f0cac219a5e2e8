using System.Text;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Diag;

/// <summary>The file <c>diag --html</c> writes: created before the run (so a bad path fails at once), filled after it.</summary>
public static class DiagHtmlFile
{
    /// <summary>Creates (or empties) the report file.</summary>
    /// <param name="path">Where the report goes.</param>
    /// <param name="error">Where to say why it cannot be created.</param>
    /// <returns>The open file, or null after printing <c>error: PATH: what is wrong</c>.</returns>
    public static FileStream? Create(string path, TextWriter error)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"error: {path}: cannot write the report ({e.Message})");
            return null;
        }
    }

    /// <summary>Writes the rendered report (UTF-8, no byte-order mark) and closes nothing.</summary>
    /// <param name="file">The file from <see cref="Create"/>.</param>
    /// <param name="input">What goes in the report.</param>
    public static void Write(FileStream file, DiagHtmlInput input)
    {
        byte[] bytes = new UTF8Encoding(false).GetBytes(DiagHtmlReport.Render(input));
        file.Write(bytes);
        file.Flush();
    }

    /// <summary>Describes a target in words for the report's heading.</summary>
    /// <param name="target">The target.</param>
    /// <returns>Such as "virtual SE (se05x) on I2C 0x48" or "/dev/i2c-1 0x48 (gp)".</returns>
    public static string Describe(SeTarget target) => target.IsVirtual
        ? $"virtual SE ({target.EffectiveProtocol}) on {(target.IsSpi ? "SPI" : $"I2C 0x{target.Address:X2}")}"
        : target.IsSpi ? $"{target.SpiBus} at {target.SpiClockHz / 1000} kHz ({target.EffectiveProtocol})" : $"{target.I2cBus} 0x{target.Address:X2} ({target.EffectiveProtocol})";
}
