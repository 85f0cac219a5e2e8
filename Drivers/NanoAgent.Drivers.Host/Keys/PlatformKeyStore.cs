using System.Globalization;
using System.Text.Json;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Host.Keys;

/// <summary>
/// SCP03 key files: <c>{ "kvn": "30", "enc": "hex", "mac": "hex", "dek": "hex" }</c>, mode 600. The board-specific platform
/// key file (the CLI defaults to <see cref="DefaultPath"/>) has this form, and so do a security domain's key sets (a tenant's,
/// the owner's, a request key set): each call names the kind of file, so every message calls the file what it is. Like ssh
/// with private keys, a file that group or others can read is refused. Keys are never printed: the key set's <c>ToString</c>
/// shows key check values only, and no error message quotes the file. Messages start with the path (<c>path: what is wrong</c>).
/// </summary>
public static class PlatformKeyStore
{
    /// <summary>The key version number given to new key files (a common choice for SCP03 key sets).</summary>
    public const byte DefaultKeyVersion = 0x30;

    /// <summary>What the messages call a platform key file (the default kind).</summary>
    public const string PlatformKeyFile = "platform key file";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Gets the default key file: <c>~/.nanoagent/platform-keys.json</c>.</summary>
    public static string DefaultPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nanoagent", "platform-keys.json");

    /// <summary>Reads the platform keys from a key file.</summary>
    /// <param name="path">The key file.</param>
    /// <param name="factory">The AES implementation for the key set.</param>
    /// <param name="allowInitialKeyVersion">True to also accept KVN 'FF', a card's initial (issuer) key set, for the one
    /// session that rotates it away (<c>backend rotate-keys</c>); false: 01 to 7F only.</param>
    /// <param name="kind">What the file is, for messages: <see cref="PlatformKeyFile"/>, "tenant key file", ...</param>
    /// <returns>The key set.</returns>
    /// <exception cref="PlatformKeyStoreException">The file is missing, readable by group or others, unreadable or malformed.</exception>
    public static Scp03StaticKeys Load(string path, IBlockCipherFactory factory, bool allowInitialKeyVersion = false, string kind = PlatformKeyFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(factory);
        if (Directory.Exists(path))
        {
            throw new PlatformKeyStoreException(PlatformKeyStoreError.IoFailed, $"{path}: is a directory, not a {kind}.");
        }

        if (!File.Exists(path))
        {
            throw new PlatformKeyStoreException(PlatformKeyStoreError.NotFound, $"{path}: {kind} not found: " + (kind == PlatformKeyFile
                ? "create one for a virtual SE, or write the board's keys there (mode 600)."
                : "write the key set there (JSON kvn/enc/mac/dek, mode 600), or make a new one with 'nanoagent gp keygen --out FILE'."));
        }

        if (CheckPermissions(path, kind) is { } problem)
        {
            throw new PlatformKeyStoreException(PlatformKeyStoreError.InsecurePermissions, problem);
        }

        byte[] text;
        try
        {
            text = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlatformKeyStoreException(PlatformKeyStoreError.IoFailed, $"{path}: {kind} cannot be read.", e);
        }

        try
        {
            return Parse(text, path, factory, allowInitialKeyVersion, kind);
        }
        finally
        {
            Array.Clear(text);
        }
    }

    /// <summary>
    /// Writes a new key file with fresh random keys, mode 600 in a folder of mode 700: what a new virtual SE and the host
    /// share for a demo. An existing file is never overwritten.
    /// </summary>
    /// <param name="path">The key file to create.</param>
    /// <param name="factory">The AES implementation for the key set.</param>
    /// <param name="random">The random source; null for the operating system's generator.</param>
    /// <param name="keyVersion">The key version number (1 to 7F).</param>
    /// <param name="keyLength">16, 24 or 32 bytes.</param>
    /// <param name="kind">What the file is, for messages.</param>
    /// <returns>The new key set.</returns>
    /// <exception cref="PlatformKeyStoreException">The file already exists or cannot be written.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The key version or length is out of range.</exception>
    public static Scp03StaticKeys CreateRandom(
        string path, IBlockCipherFactory factory, IRandomSource? random = null, byte keyVersion = DefaultKeyVersion, int keyLength = 16,
        string kind = PlatformKeyFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(factory);
        if (keyVersion is 0 or > 0x7F)
        {
            throw new ArgumentOutOfRangeException(nameof(keyVersion), "Key version numbers are 01 to 7F (GPC §11.1.8).");
        }

        if (keyLength is not (16 or 24 or 32))
        {
            throw new ArgumentOutOfRangeException(nameof(keyLength), "AES keys are 16, 24 or 32 bytes.");
        }

        random ??= CryptoRandomSource.Instance;
        byte[] keys = new byte[3 * keyLength];
        random.Fill(keys, 0, keys.Length);
        byte[] json = Format(keyVersion, keys, keyLength);
        try
        {
            WriteNew(path, json, kind);
            return new Scp03StaticKeys(factory, keyVersion, keys[..keyLength], keys[keyLength..(2 * keyLength)], keys[(2 * keyLength)..]);
        }
        finally
        {
            Array.Clear(keys);
            Array.Clear(json);
        }
    }

    /// <summary>Reads the key file, or creates it with random keys when it does not exist.</summary>
    /// <param name="path">The key file.</param>
    /// <param name="factory">The AES implementation for the key set.</param>
    /// <param name="created">True when the file was created now.</param>
    /// <param name="kind">What the file is, for messages.</param>
    /// <returns>The key set.</returns>
    /// <exception cref="PlatformKeyStoreException">As <see cref="Load"/> and <see cref="CreateRandom"/>.</exception>
    public static Scp03StaticKeys LoadOrCreate(string path, IBlockCipherFactory factory, out bool created, string kind = PlatformKeyFile)
    {
        created = !File.Exists(path) && !Directory.Exists(path);
        return created ? CreateRandom(path, factory, kind: kind) : Load(path, factory, kind: kind);
    }

    /// <summary>Says what is wrong with the key file's permissions, or null when only its owner can access it (or on Windows).</summary>
    /// <param name="path">The key file.</param>
    /// <param name="kind">What the file is, for the message.</param>
    /// <returns>A sentence naming the file, its mode and the fix, or null.</returns>
    public static string? CheckPermissions(string path, string kind = PlatformKeyFile)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        UnixFileMode mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) == 0)
        {
            return null;
        }

        string octal = Convert.ToString((int)mode & 0x1FF, 8);
        return $"{path}: {kind} has mode {octal}: group or others may read it. Run 'chmod 600 {path}'.";
    }

    private static Scp03StaticKeys Parse(byte[] text, string path, IBlockCipherFactory factory, bool allowInitialKeyVersion, string kind)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw Malformed(path, kind, "it is not valid JSON");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(path, kind, "it is not a JSON object");
            }

            byte[] kvn = Field(root, "kvn", path, kind);
            if (kvn.Length != 1 || (kvn[0] is 0 or > 0x7F && !(allowInitialKeyVersion && kvn[0] == 0xFF)))
            {
                throw Malformed(path, kind, "\"kvn\" must be one hex byte, 01 to 7F");
            }

            byte[] enc = Field(root, "enc", path, kind), mac = Field(root, "mac", path, kind), dek = Field(root, "dek", path, kind);
            try
            {
                if (enc.Length is not (16 or 24 or 32) || mac.Length != enc.Length || dek.Length != enc.Length)
                {
                    throw Malformed(path, kind, "\"enc\", \"mac\" and \"dek\" must be AES keys of one length: 16, 24 or 32 bytes");
                }

                return new Scp03StaticKeys(factory, kvn[0], enc, mac, dek);
            }
            finally
            {
                Array.Clear(enc);
                Array.Clear(mac);
                Array.Clear(dek);
            }
        }
    }

    private static byte[] Field(JsonElement root, string name, string path, string kind)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            throw Malformed(path, kind, $"the string field \"{name}\" is missing");
        }

        string hex = value.GetString()!;
        if (hex.Length == 0 || hex.Length % 2 != 0 || !hex.All(Uri.IsHexDigit))
        {
            throw Malformed(path, kind, $"\"{name}\" is not an even number of hex digits");
        }

        return Convert.FromHexString(hex);
    }

    private static PlatformKeyStoreException Malformed(string path, string kind, string why) =>
        new(PlatformKeyStoreError.Malformed, $"{path}: {kind} is malformed: {why}.");

    private static byte[] Format(byte keyVersion, byte[] keys, int keyLength)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("kvn", keyVersion.ToString("X2", CultureInfo.InvariantCulture));
            writer.WriteString("enc", Convert.ToHexString(keys, 0, keyLength));
            writer.WriteString("mac", Convert.ToHexString(keys, keyLength, keyLength));
            writer.WriteString("dek", Convert.ToHexString(keys, 2 * keyLength, keyLength));
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteNew(string path, byte[] json, string kind)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new PlatformKeyStoreException(PlatformKeyStoreError.AlreadyExists,
                $"{path}: {kind} already exists: it is never overwritten, since a card may hold its keys.");
        }

        try
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(dir);
                }
                else
                {
                    Directory.CreateDirectory(dir, OwnerOnly | UnixFileMode.UserExecute);
                }
            }

            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            using var file = new FileStream(path, options);
            file.Write(json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlatformKeyStoreException(PlatformKeyStoreError.IoFailed, $"{path}: {kind} cannot be written: {e.Message}", e);
        }
    }
}
