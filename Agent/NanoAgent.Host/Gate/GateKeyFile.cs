namespace NanoAgent.Host.Gate;

/// <summary>
/// A backend's gate key file (docs/gating.md §Key files): the key as hex text, whitespace and <c>#</c> comment lines ignored,
/// mode 600. The AES-128 MAC key is 16 bytes; the ECDSA public key is the 65-byte point '04' || X || Y from GET DATA '7F49'
/// (public, so its mode is not checked). Never printed: only its KCV is.
/// </summary>
public static class GateKeyFile
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Loads a gate MAC key (16 bytes of hex) from a file only its owner can read.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The key.</returns>
    /// <exception cref="IOException">The file is missing, readable by others, or not 16 bytes of hex.</exception>
    public static byte[] LoadMacKey(string path)
    {
        byte[] key = LoadHex(path);
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new IOException($"Gate key file '{path}' can be read by group or others. Run 'chmod 600 {path}'.");
        }

        return key.Length == 16 ? key : throw new IOException($"Gate key file '{path}' holds {key.Length} bytes; an AES-128 gate key is 16.");
    }

    /// <summary>Loads a gate's public key point ('04' || X || Y, 65 bytes of hex).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The point.</returns>
    /// <exception cref="IOException">The file is missing or not a 65-byte uncompressed point.</exception>
    public static byte[] LoadPublicKey(string path)
    {
        byte[] point = LoadHex(path);
        return point.Length == 65 && point[0] == 0x04
            ? point
            : throw new IOException($"Public key file '{path}' is not an uncompressed P-256 point (65 bytes starting with 04).");
    }

    /// <summary>Writes a key file (hex, one line) with mode 600.</summary>
    /// <param name="path">The file; replaced if present.</param>
    /// <param name="key">The key bytes.</param>
    public static void Write(string path, byte[] key)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.WriteLine(Convert.ToHexString(key));
    }

    private static byte[] LoadHex(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"Key file '{path}' is a directory, not a key file.");
        }

        if (!File.Exists(path))
        {
            throw new IOException($"Key file '{path}' does not exist.");
        }

        var hex = new System.Text.StringBuilder();
        foreach (string line in File.ReadAllLines(path))
        {
            string text = line.Trim();
            if (text.Length > 0 && !text.StartsWith('#'))
            {
                hex.Append(text.Replace(" ", string.Empty, StringComparison.Ordinal));
            }
        }

        try
        {
            return Convert.FromHexString(hex.ToString());
        }
        catch (FormatException)
        {
            throw new IOException($"Key file '{path}' does not hold hex.");
        }
    }
}
