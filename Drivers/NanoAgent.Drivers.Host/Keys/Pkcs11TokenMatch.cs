using System.Globalization;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace NanoAgent.Drivers.Host.Keys;

/// <summary>Finds the one token a PKCS #11 URI names: every library, slot and token attribute it gives must match (RFC 7512 §3.3).</summary>
internal static class Pkcs11TokenMatch
{
    /// <summary>Finds the slot of the one initialised token the URI matches.</summary>
    /// <param name="library">The loaded module.</param>
    /// <param name="uri">The URI.</param>
    /// <param name="path">The module's path, for messages.</param>
    /// <returns>The slot.</returns>
    /// <exception cref="MasterKeyException">No token or several tokens match, or the module's own attributes do not.</exception>
    public static ISlot FindSlot(IPkcs11Library library, Pkcs11Uri uri, string path)
    {
        ILibraryInfo info = library.GetInfo();
        if (!Same(uri.LibraryManufacturer, info.ManufacturerId) || !Same(uri.LibraryDescription, info.LibraryDescription)
            || (uri.LibraryVersion is { } version && !SameVersion(version, info.LibraryVersion)))
        {
            throw new MasterKeyException(MasterKeyError.BadInput,
                $"module '{path}' is '{info.LibraryDescription}' of '{info.ManufacturerId}', version {info.LibraryVersion}: not the library the URI names");
        }

        var tokens = new List<string>();
        var matches = new List<ISlot>();
        foreach (ISlot slot in library.GetSlotList(SlotsType.WithTokenPresent))
        {
            ITokenInfo token = slot.GetTokenInfo();
            if (!token.TokenFlags.TokenInitialized)
            {
                continue;
            }

            tokens.Add($"'{token.Label}'");
            ISlotInfo s = slot.GetSlotInfo();
            if (Same(uri.Token, token.Label) && Same(uri.Manufacturer, token.ManufacturerId) && Same(uri.Model, token.Model)
                && Same(uri.Serial, token.SerialNumber) && Same(uri.SlotDescription, s.SlotDescription)
                && Same(uri.SlotManufacturer, s.ManufacturerId) && (uri.SlotId is not { } id || id == slot.SlotId))
            {
                matches.Add(slot);
            }
        }

        string wanted = uri.Token is null ? "matching the URI" : $"labelled '{uri.Token}'";
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new MasterKeyException(MasterKeyError.BadInput,
                $"no PKCS #11 token {wanted} in module '{path}' (tokens there: {(tokens.Count == 0 ? "none" : string.Join(", ", tokens))})"),
            _ => throw new MasterKeyException(MasterKeyError.BadInput,
                $"{matches.Count} PKCS #11 tokens {wanted} in module '{path}': name one with token=, serial= or slot-id="),
        };
    }

    private static bool Same(string? wanted, string actual) => wanted is null || string.Equals(wanted, actual.TrimEnd(), StringComparison.Ordinal);

    private static bool SameVersion(string wanted, string actual)
    {
        static (int Major, int Minor) Parse(string v)
        {
            string[] parts = v.Split('.');
            int major = int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : -1;
            int minor = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
            return (major, minor);
        }

        return Parse(wanted) == Parse(actual);
    }
}
