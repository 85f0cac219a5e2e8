using System.Globalization;

namespace NanoAgent.Host.Gate;

/// <summary>
/// A backend's persisted counter (last reading counter seen, or last command counter used) in a small text file, written
/// atomically (temporary file, flush, rename). A missing file is 0; a corrupt one is an <see cref="IOException"/>.
/// </summary>
public sealed class GateCounterFile
{
    /// <summary>Creates the counter at a path.</summary>
    /// <param name="path">The file.</param>
    public GateCounterFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>Gets the file path.</summary>
    public string Path { get; }

    /// <summary>Reads the counter.</summary>
    /// <returns>The value, 0 when the file does not exist.</returns>
    /// <exception cref="IOException">The file cannot be read or holds no number.</exception>
    public ulong Read()
    {
        if (Directory.Exists(Path))
        {
            throw new IOException($"The counter file '{Path}' is a directory, not a counter file.");
        }

        if (!File.Exists(Path))
        {
            return 0;
        }

        string text = File.ReadAllText(Path).Trim();
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? value
            : throw new IOException($"The counter file '{Path}' does not hold a number.");
    }

    /// <summary>Writes the counter durably.</summary>
    /// <param name="value">The new value.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Write(ulong value)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        string temp = Path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(value.ToString(CultureInfo.InvariantCulture));
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, Path, overwrite: true);
    }
}
