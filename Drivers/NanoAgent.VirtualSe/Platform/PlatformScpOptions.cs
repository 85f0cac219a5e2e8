using System.Security.Cryptography;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.VirtualSe.Platform;

/// <summary>
/// Turns on platform SCP03 in a virtual SE (<see cref="PlatformScpGate"/>) and says where its keys come from:
/// <see cref="Keys"/> if given, else the key file <see cref="KeyFilePath"/>, else <c>&lt;state&gt;.platform-keys.json</c> next to
/// the card state (the SE's own keys live with its state), else fresh random keys held in memory. A missing key file is
/// created once, as a factory personalises a chip: a copy of <see cref="FactoryKeyFile"/> when given, else random keys
/// (mode 600). From then on the SE keeps its keys, so a host with another key file fails platform SCP03 as it would on a
/// real SE (card cryptogram mismatch, GP Amd D §6.2.2.2).
/// </summary>
public sealed class PlatformScpOptions
{
    /// <summary>Gets the platform keys to use directly (tests); overrides the key file.</summary>
    public Scp03StaticKeys? Keys { get; init; }

    /// <summary>Gets the key file shared with the host (the CLI's default is <see cref="PlatformKeyStore.DefaultPath"/>).</summary>
    public string? KeyFilePath { get; init; }

    /// <summary>
    /// Gets the key file the SE's own key file is copied from when it does not exist yet (its first use: the host's
    /// platform key file, as the factory hands a chip's keys to the device maker); null for random keys. Never read again
    /// once the SE has its keys.
    /// </summary>
    public string? FactoryKeyFile { get; init; }

    /// <summary>Gets a value indicating whether plain commands other than the handshake are refused with '6982'; default true.</summary>
    public bool RequirePlatformScp { get; init; } = true;

    /// <summary>Gets the security level bits EXTERNAL AUTHENTICATE must include; default 33 (C-MAC, C-DEC, R-MAC, R-ENC).</summary>
    public byte MinimumSecurityLevel { get; init; } = PlatformScp03Transport.DefaultSecurityLevel;

    /// <summary>What messages call the SE's own key file.</summary>
    private const string OwnKind = "virtual SE platform key file";

    /// <summary>Gets the key file used next to a card state file: <c>card.json</c> → <c>card.platform-keys.json</c>.</summary>
    /// <param name="statePath">The card state file.</param>
    /// <returns>The key file path.</returns>
    public static string KeyFileFor(string statePath) => Path.ChangeExtension(statePath, ".platform-keys.json");

    /// <summary>Finds or creates the platform keys as described on the class.</summary>
    /// <param name="statePath">The card state file, or null.</param>
    /// <returns>The key set.</returns>
    /// <exception cref="PlatformKeyStoreException">The key file is unusable.</exception>
    public Scp03StaticKeys ResolveKeys(string? statePath) => ResolveKeys(statePath, PlatformKeyStore.DefaultKeyVersion);

    /// <summary>Finds or creates the platform keys; keys made here get <paramref name="newKeyVersion"/>.</summary>
    /// <param name="statePath">The card state file, or null.</param>
    /// <param name="newKeyVersion">The key version of keys created now (an existing key file keeps its own).</param>
    /// <returns>The key set.</returns>
    /// <exception cref="PlatformKeyStoreException">The key file is unusable.</exception>
    public Scp03StaticKeys ResolveKeys(string? statePath, byte newKeyVersion)
    {
        if (Keys is not null)
        {
            return Keys;
        }

        string? path = KeyFilePath ?? (statePath is null ? null : KeyFileFor(statePath));
        if (path is not null)
        {
            if (FactoryKeyFile is not null && !File.Exists(path) && !Directory.Exists(path))
            {
                Personalise(path, FactoryKeyFile);
            }

            return File.Exists(path) || Directory.Exists(path)
                ? PlatformKeyStore.Load(path, BouncyCastleAesFactory.Instance, kind: OwnKind)
                : PlatformKeyStore.CreateRandom(path, BouncyCastleAesFactory.Instance, keyVersion: newKeyVersion, kind: OwnKind);
        }

        byte[] key = new byte[48];
        RandomNumberGenerator.Fill(key);
        try
        {
            return new Scp03StaticKeys(BouncyCastleAesFactory.Instance, newKeyVersion, key[..16], key[16..32], key[32..]);
        }
        finally
        {
            Array.Clear(key);
        }
    }

    // The factory step: the SE gets a copy of the host's key file (checked first, so a broken file is refused, not copied).
    private static void Personalise(string path, string factoryKeyFile)
    {
        PlatformKeyStore.Load(factoryKeyFile, BouncyCastleAesFactory.Instance);
        byte[] bytes = File.ReadAllBytes(factoryKeyFile);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new FileStream(path, options);
            file.Write(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlatformKeyStoreException(PlatformKeyStoreError.IoFailed, $"{path}: {OwnKind} cannot be written: {e.Message}", e);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }
}
