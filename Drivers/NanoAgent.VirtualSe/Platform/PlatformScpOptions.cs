using System.Security.Cryptography;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.VirtualSe.Platform;

/// <summary>
/// Turns on platform SCP03 in a virtual SE (<see cref="PlatformScpGate"/>) and says where its keys come from:
/// <see cref="Keys"/> if given, else the key file <see cref="KeyFilePath"/>, else <c>&lt;state&gt;.platform-keys.json</c> next to
/// the card state, else fresh random keys held in memory. A missing key file is created with random keys (mode 600).
/// </summary>
public sealed class PlatformScpOptions
{
    /// <summary>Gets the platform keys to use directly (tests); overrides the key file.</summary>
    public Scp03StaticKeys? Keys { get; init; }

    /// <summary>Gets the key file shared with the host (the CLI's default is <see cref="PlatformKeyStore.DefaultPath"/>).</summary>
    public string? KeyFilePath { get; init; }

    /// <summary>Gets a value indicating whether plain commands other than the handshake are refused with '6982'; default true.</summary>
    public bool RequirePlatformScp { get; init; } = true;

    /// <summary>Gets the security level bits EXTERNAL AUTHENTICATE must include; default 33 (C-MAC, C-DEC, R-MAC, R-ENC).</summary>
    public byte MinimumSecurityLevel { get; init; } = PlatformScp03Transport.DefaultSecurityLevel;

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
            return File.Exists(path) || Directory.Exists(path)
                ? PlatformKeyStore.Load(path, BouncyCastleAesFactory.Instance)
                : PlatformKeyStore.CreateRandom(path, BouncyCastleAesFactory.Instance, keyVersion: newKeyVersion);
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
}
