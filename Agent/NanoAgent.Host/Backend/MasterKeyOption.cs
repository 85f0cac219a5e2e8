using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Backend;

/// <summary>
/// Opens a tenant's master key for per-device keys (docs/keys.md): a key file of the tenant key format, or an RFC 7512
/// <c>pkcs11:</c> URI naming an AES key in a PKCS #11 token. Every problem becomes one line: a <see cref="BackendException"/>
/// with exit code 2 (a missing file, module, token or key, a wrong PIN, a bad URI) or 3 (the token stopped answering).
/// </summary>
public static class MasterKeyOption
{
    /// <summary>The help text of <c>--master-key</c>.</summary>
    public const string Help = "per-device keys diversified from the tenant's master key (docs/keys.md): a key file (its enc, mac, dek are the master keys) " +
        "or pkcs11:token=T;object=LABEL?module-path=/path/module.so&pin-source=file:/path/pin (derived inside the token)";

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Opens the master key.</summary>
    /// <param name="spec">The <c>--master-key</c> text: a file path or a <c>pkcs11:</c> URI.</param>
    /// <param name="keyVersion">The key version the devices' key sets have (a campaign's, or <c>--kvn</c>); null to take a key file's.</param>
    /// <returns>The source and the key version it derives.</returns>
    /// <exception cref="BackendException">Bad input (2) or an unreachable token (3); nothing was changed anywhere.</exception>
    public static (IDeviceKeySource Source, byte KeyVersion) Open(string spec, byte? keyVersion)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Pkcs11Uri.LooksLikeUri(spec))
        {
            Scp03StaticKeys master = TenantKeyFile.Load(spec);
            if (keyVersion is { } kvn && kvn != master.KeyVersion)
            {
                throw new BackendException(2, $"{spec}: the master key file derives key version {master.KeyVersion:X2}, but key version {kvn:X2} is wanted");
            }

            return (new FileMasterKeySource(master, spec), master.KeyVersion);
        }

        Pkcs11Uri uri;
        try
        {
            uri = Pkcs11Uri.Parse(spec);
        }
        catch (Pkcs11UriException e)
        {
            throw new BackendException(2, $"--master-key: not a PKCS #11 URI: {e.Message}");
        }

        byte version = keyVersion ?? throw new BackendException(2, "--master-key: a token's master key has no key version: give it (--kvn)");
        string pin = ReadPin(uri);
        try
        {
            return (Pkcs11MasterKeySource.Open(uri, pin), version);
        }
        catch (MasterKeyException e)
        {
            throw new BackendException(e.Error == MasterKeyError.BadInput ? 2 : 3, "--master-key: " + e.Message);
        }
    }

    /// <summary>Reads the token PIN the URI names: <c>pin-source=file:...</c> (first line, mode 600) or <c>pin-value</c>.</summary>
    /// <param name="uri">The URI.</param>
    /// <returns>The PIN.</returns>
    /// <exception cref="BackendException">No PIN is named, the source is not a file, or the file is missing, too open or empty (exit code 2).</exception>
    public static string ReadPin(Pkcs11Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.PinValue is { } value)
        {
            return value;
        }

        string source = uri.PinSource ?? throw new BackendException(2, "--master-key: the URI names no PIN: add ?pin-source=file:/path/to/pin (mode 600)");
        string path = PinPath(source) ?? throw new BackendException(2, "--master-key: pin-source is a file: file:/path/to/pin or an absolute path");
        string text;
        try
        {
            text = InputFile.ReadText(path, "PIN file");
        }
        catch (InputFileException e)
        {
            throw new BackendException(2, e.Message);
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new BackendException(2, $"{path}: the PIN file is readable or writable by group or others: chmod 600 it");
        }

        string pin = text.Split('\n')[0].TrimEnd('\r');
        return pin.Length > 0 ? pin : throw new BackendException(2, $"{path}: the PIN file is empty");
    }

    private static string? PinPath(string source)
    {
        // RFC 8089: file:/p, file:///p and file://localhost/p name the local file /p.
        string path = source.StartsWith("file://localhost/", StringComparison.OrdinalIgnoreCase) ? source["file://localhost".Length..]
            : source.StartsWith("file:///", StringComparison.OrdinalIgnoreCase) ? source["file://".Length..]
            : source.StartsWith("file:/", StringComparison.OrdinalIgnoreCase) && !source.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? source["file:".Length..]
            : source;
        return Path.IsPathFullyQualified(path) ? path : null;
    }
}
