using System.Text.Json;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Backend;

/// <summary>
/// Loads a tenant's SCP03 key set or request key set (an SCP03 key file: <c>{"kvn": "01", "enc": .., "mac": .., "dek": ..}</c>,
/// mode 600) and turns every problem into a <c>file:line: reason</c> usage error that calls the file what it is.
/// </summary>
public static class TenantKeyFile
{
    /// <summary>The <c>--keys</c> word for the GlobalPlatform test keys 40..4F under KVN 'FF' a fresh card (and the virtual SE) ships with.</summary>
    public const string Default = "default";

    /// <summary>What messages call a tenant's SCP03 key file.</summary>
    public const string TenantKind = "tenant key file";

    /// <summary>What messages call a request key file (KVN 60-6F, docs/protocol.md §3.9).</summary>
    public const string RequestKind = NanoAgent.Host.Gp.GpKeyFiles.RequestKind;

    /// <summary>Tells whether a <c>--keys</c> value names a card's initial key set: <see cref="Default"/>, or a key file with KVN 'FF'.</summary>
    /// <param name="spec">The <c>--keys</c> value.</param>
    /// <returns>True for the initial key set; false for anything else, unreadable files included (<see cref="Load"/> reports those).</returns>
    public static bool IsInitialKeySet(string spec)
    {
        if (spec == Default)
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(spec));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("kvn", out JsonElement kvn)
                && kvn.ValueKind == JsonValueKind.String
                && string.Equals(kvn.GetString(), "FF", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Loads the keys.</summary>
    /// <param name="path">The key file, or <see cref="Default"/> when <paramref name="allowInitialKeyVersion"/> is true.</param>
    /// <param name="allowInitialKeyVersion">True to accept the card's initial key set (KVN 'FF'), for rotating it away.</param>
    /// <param name="kind">What the file is, for messages: <see cref="TenantKind"/> or <see cref="RequestKind"/>.</param>
    /// <returns>The static keys (KCV-only <c>ToString</c>).</returns>
    /// <exception cref="BackendException">The file is missing, readable by others, or malformed (exit code 2).</exception>
    public static Scp03StaticKeys Load(string path, bool allowInitialKeyVersion = false, string kind = TenantKind)
    {
        if (allowInitialKeyVersion && path == Default)
        {
            return NanoAgent.Host.Gp.GpKeyFiles.Load(NanoAgent.Host.Gp.GpKeyFiles.Default);
        }

        if (Directory.Exists(path))
        {
            throw new BackendException(2, $"{path}: is a directory, not a {kind}");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackendException(2, $"{path}: cannot read the {kind}: {e.Message}");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new BackendException(2, $"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON; write {{\"kvn\": \"01\", \"enc\": \"<hex>\", \"mac\": \"<hex>\", \"dek\": \"<hex>\"}}");
        }

        try
        {
            return PlatformKeyStore.Load(path, BouncyCastleAesFactory.Instance, allowInitialKeyVersion, kind);
        }
        catch (PlatformKeyStoreException e)
        {
            string why = e.Message;
            int cut = why.IndexOf("is malformed: ", StringComparison.Ordinal);
            if (cut < 0)
            {
                throw new BackendException(2, why);
            }

            why = why[(cut + "is malformed: ".Length)..].TrimEnd('.');
            return Fail(path, text, why);
        }
    }

    /// <summary>
    /// Loads the key of an SE05x tenant's AESKey authentication object from a key file of the same form: the applet's SCP03
    /// always runs with key version 00 and the one key as static ENC, MAC and DEK (middleware fsl_sss_se05x_scp03.c,
    /// se05x-facts §5), so the file's kvn is not used, and enc, mac and dek must be the same key.
    /// </summary>
    /// <param name="path">The key file.</param>
    /// <returns>The 16-byte key.</returns>
    /// <exception cref="BackendException">The file is unusable, or its three keys differ (exit code 2).</exception>
    public static byte[] LoadSe05x(string path)
    {
        var (_, enc, mac, dek) = LoadRaw(path);
        if (enc.Length != 16 || !enc.AsSpan().SequenceEqual(mac) || !enc.AsSpan().SequenceEqual(dek))
        {
            throw new BackendException(2, $"{path}: an SE05x authentication object holds one AES-128 key: enc, mac and dek must be the same 16 bytes");
        }

        return enc;
    }

    /// <summary>Loads a key file's version and three keys as bytes (for SE05x key objects, which take the raw value).</summary>
    /// <param name="path">The key file.</param>
    /// <returns>The key version and the ENC, MAC and DEK keys.</returns>
    /// <exception cref="BackendException">The file is unusable (exit code 2).</exception>
    public static (byte Kvn, byte[] Enc, byte[] Mac, byte[] Dek) LoadRaw(string path)
    {
        Scp03StaticKeys keys = Load(path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        byte[] Field(string name) => Convert.FromHexString(document.RootElement.GetProperty(name).GetString()!);
        return (keys.KeyVersion, Field("enc"), Field("mac"), Field("dek"));
    }

    /// <summary>
    /// Writes a key file whose three keys are one AES key (an SE05x authentication object's, or an SE05x request key, whose
    /// object holds the one key the request MAC uses), mode 600; an existing file is replaced.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="keyVersion">The key version in the file (a request key's is its version '60'-'6F').</param>
    /// <param name="key">The 16-byte key.</param>
    public static void WriteSingleKey(string path, byte keyVersion, byte[] key)
    {
        string hex = Convert.ToHexString(key);
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // never readable by others, not even briefly
        }

        using var writer = new StreamWriter(path, options);
        writer.Write($"{{\n  \"kvn\": \"{keyVersion:X2}\",\n  \"enc\": \"{hex}\",\n  \"mac\": \"{hex}\",\n  \"dek\": \"{hex}\"\n}}\n");
    }

    private static Scp03StaticKeys Fail(string path, string text, string why)
    {
        // Point at the line of the field the reason names, else at line 1.
        string[] lines = text.Split('\n');
        foreach (string field in new[] { "kvn", "enc", "mac", "dek" })
        {
            if (!why.Contains($"\"{field}\"", StringComparison.Ordinal))
            {
                continue;
            }

            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains($"\"{field}\"", StringComparison.Ordinal))
                {
                    throw new BackendException(2, $"{path}:{i + 1}: {why}");
                }
            }
        }

        throw new BackendException(2, $"{path}:1: {why}");
    }
}
