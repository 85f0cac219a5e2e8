using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// Privilege bits (GPC v2.3.1 §6.6.1, Table 6-1: byte 1 b8 Security Domain … byte 2 b3 Global Registry) and the simplified
/// ownership rule of this card: the ISD may manage every entry; another security domain only the entries associated with it.
/// </summary>
internal static class GpPrivileges
{
    public const byte SecurityDomain = 0x80;        // byte 1 b8
    public const byte DelegatedManagement = 0x20;   // byte 1 b6
    public const byte AuthorizedManagement = 0x40;  // byte 2 b7
    public const byte GlobalRegistry = 0x04;        // byte 2 b3

    public static bool Has(RegistryEntry e, int byteIndex, byte mask) =>
        e.Privileges.Length > byteIndex && (e.Privileges[byteIndex] & mask) == mask;

    public static bool IsIsd(RegistryEntry e) => e.Kind == RegistryEntryKind.IssuerSecurityDomain;

    /// <summary>Tells whether <paramref name="sd"/> may manage <paramref name="target"/> (GPC §6.4.1 associations, simplified).</summary>
    public static bool Owns(RegistryEntry sd, RegistryEntry target) =>
        !ReferenceEquals(sd, target)
        && target.Kind != RegistryEntryKind.IssuerSecurityDomain
        && (IsIsd(sd) || (target.AssociatedSecurityDomain is { } owner && owner.AsSpan().SequenceEqual(sd.Aid)));

    /// <summary>Tells whether every privilege bit in <paramref name="wanted"/> is held by <paramref name="sd"/>.</summary>
    public static bool CanGrant(RegistryEntry sd, ReadOnlySpan<byte> wanted)
    {
        if (IsIsd(sd))
        {
            return true;
        }

        for (int i = 0; i < wanted.Length; i++)
        {
            byte held = i < sd.Privileges.Length ? sd.Privileges[i] : (byte)0;
            if ((wanted[i] & ~held) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
