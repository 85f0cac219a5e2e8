using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NanoAgent.Drivers.Tests.Host.Keys;

/// <summary>
/// A SoftHSM2 token (Debian's softhsm2) in a temporary directory, made by the real <c>softhsm2-util</c>: its own
/// <c>softhsm2.conf</c> named by SOFTHSM2_CONF for this process (set natively too: the module reads it with getenv at
/// C_Initialize) and its children, so nothing global is touched. Keys go in with <c>softhsm2-util --import --aes</c>, which
/// makes them sensitive and not extractable. One per test process: SoftHSM reads its configuration once per C_Initialize.
/// </summary>
public sealed class SoftHsmToken : IDisposable
{
    /// <summary>Debian's SoftHSM2 PKCS #11 module.</summary>
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>The user PIN of the token.</summary>
    public const string Pin = "246810";

    private readonly string _dir;
    private int _ids;

    public SoftHsmToken()
    {
        _dir = Directory.CreateTempSubdirectory("nanoagent-softhsm-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "tokens"));
        string conf = Path.Combine(_dir, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {_dir}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n");
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", conf);
        if (setenv("SOFTHSM2_CONF", conf, 1) != 0)
        {
            throw new InvalidOperationException("setenv SOFTHSM2_CONF failed");
        }

        PinFile = Path.Combine(_dir, "user.pin");
        File.WriteAllText(PinFile, Pin + "\n");
        OwnerOnly(PinFile);
        Util("--init-token", "--free", "--label", Label, "--pin", Pin, "--so-pin", "13579111");
    }

    /// <summary>Gets the token label.</summary>
    public string Label { get; } = "nanoagent-test";

    /// <summary>Gets a file holding the PIN (mode 600).</summary>
    public string PinFile { get; }

    /// <summary>Gets the temporary directory (for other files of a test).</summary>
    public string Dir => _dir;

    /// <summary>Makes a random AES key that <see cref="ImportAes"/> can import (no 00 or 0A byte).</summary>
    /// <param name="length">16 or 32.</param>
    /// <returns>The key.</returns>
    public static byte[] RandomKey(int length)
    {
        byte[] key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = key[i] is 0x00 or 0x0A ? (byte)(key[i] + 0x11) : key[i];
        }

        return key;
    }

    /// <summary>Puts an AES key in the token with <c>softhsm2-util --import FILE --aes</c>.</summary>
    /// <param name="label">Its CKA_LABEL.</param>
    /// <param name="key">Its value (16 or 32 bytes), without a 00 or 0A byte: softhsm2-util 2.6 reads the file as text and
    /// stops at the first of them (a key with one would be imported short).</param>
    public void ImportAes(string label, byte[] key)
    {
        if (Array.IndexOf(key, (byte)0x00) >= 0 || Array.IndexOf(key, (byte)0x0A) >= 0)
        {
            throw new ArgumentException("softhsm2-util --import --aes would cut this key at its 00 or 0A byte", nameof(key));
        }

        string file = Path.Combine(_dir, $"{label}.bin");
        File.WriteAllBytes(file, key);
        try
        {
            string id = (++_ids).ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
            Util("--import", file, "--aes", "--token", Label, "--label", label, "--id", id, "--pin", Pin);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Makes the URI of a key in the token.</summary>
    /// <param name="label">The key's label.</param>
    /// <param name="token">The token label (default: this token's).</param>
    /// <param name="pinFile">The PIN file (default: <see cref="PinFile"/>).</param>
    /// <param name="module">The module (default: SoftHSM2).</param>
    /// <returns>The <c>pkcs11:</c> URI.</returns>
    public string Uri(string label, string? token = null, string? pinFile = null, string? module = null) =>
        $"pkcs11:token={token ?? Label};object={label}?module-path={module ?? Module}&pin-source=file:{pinFile ?? PinFile}";

    /// <summary>Writes a file holding a PIN (mode 600).</summary>
    /// <param name="pin">The PIN.</param>
    /// <returns>Its path.</returns>
    public string WritePinFile(string pin)
    {
        string path = Path.Combine(_dir, $"pin-{Guid.NewGuid():N}");
        File.WriteAllText(path, pin + "\n");
        OwnerOnly(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A module still loaded may hold a lock file; the temporary folder goes with the machine.
        }
    }

    /// <summary>Makes a file readable and writable by its owner only (mode 600).</summary>
    public static void OwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);

    private static void Util(params string[] args)
    {
        var info = new ProcessStartInfo("softhsm2-util") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException("softhsm2-util did not start");
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"softhsm2-util {args[0]} failed: {output}");
        }
    }
}
