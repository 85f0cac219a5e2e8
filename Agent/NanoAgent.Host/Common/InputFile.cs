namespace NanoAgent.Host.Common;

/// <summary>Reads the files commands are given, turning every way they can be unusable into an <see cref="InputFileException"/>.</summary>
public static class InputFile
{
    /// <summary>Throws when a path that should be a file is a directory.</summary>
    /// <param name="path">The path.</param>
    /// <param name="what">What the file is, e.g. "tenant file".</param>
    /// <exception cref="InputFileException">The path is a directory.</exception>
    public static void RejectDirectory(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new InputFileException(path, $"is a directory, not a {what}");
        }
    }

    /// <summary>Reads a file that must exist as text.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, e.g. "tenant file".</param>
    /// <returns>The text.</returns>
    /// <exception cref="InputFileException">The file is missing, a directory or unreadable.</exception>
    public static string ReadText(string path, string what) => Read(path, what, File.ReadAllText);

    /// <summary>Reads a file that must exist as bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="InputFileException">The file is missing, a directory or unreadable.</exception>
    public static byte[] ReadBytes(string path, string what) => Read(path, what, File.ReadAllBytes);

    private static T Read<T>(string path, string what, Func<string, T> read)
    {
        RejectDirectory(path, what);
        if (!File.Exists(path))
        {
            throw new InputFileException(path, $"{what} not found");
        }

        try
        {
            return read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException(path, $"cannot read the {what}: {e.Message}", e);
        }
    }
}
