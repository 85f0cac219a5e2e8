using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Gp;

/// <summary>
/// Resolves a <c>--keys</c> value: a key file in <see cref="PlatformKeyStore"/>'s JSON format (KVN inside, mode 600), or
/// <c>default</c> for the well-known GlobalPlatform test keys 40..4F under KVN FF that a fresh card (and a fresh virtual SE) ships with.
/// </summary>
public static class GpKeyFiles
{
    /// <summary>The word that names the default test keys.</summary>
    public const string Default = "default";

    /// <summary>What messages call a security domain's key file (<c>--keys</c>, <c>--new-keys</c>, <c>gp keygen --out</c>).</summary>
    public const string Scp03Kind = "SCP03 key file";

    /// <summary>What messages call a request key file (KVN 60-6F, docs/protocol.md §3.9).</summary>
    public const string RequestKind = "request key file";

    /// <summary>Loads a key set.</summary>
    /// <param name="spec">A key file path or <see cref="Default"/>.</param>
    /// <param name="kind">What the file is, for messages.</param>
    /// <returns>The key set.</returns>
    /// <exception cref="PlatformKeyStoreException">The file is missing, readable by others or malformed.</exception>
    public static Scp03StaticKeys Load(string spec, string kind = Scp03Kind) => spec == Default
        ? Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0xFF, Convert.FromHexString("404142434445464748494A4B4C4D4E4F"))
        : PlatformKeyStore.Load(spec, BouncyCastleAesFactory.Instance, kind: kind);

    /// <summary>Parses an AID written in hex.</summary>
    /// <param name="text">The hex text.</param>
    /// <returns>The AID.</returns>
    /// <exception cref="FormatException">Not hex, or not 5 to 16 bytes.</exception>
    public static byte[] ParseAid(string text)
    {
        byte[] aid;
        try
        {
            aid = Convert.FromHexString(text.Replace(" ", string.Empty).Replace(":", string.Empty));
        }
        catch (FormatException)
        {
            throw new FormatException($"'{text}' is not hex");
        }

        return aid.Length is >= 5 and <= 16 ? aid : throw new FormatException($"'{text}' is not an AID: an AID is 5 to 16 bytes");
    }
}
