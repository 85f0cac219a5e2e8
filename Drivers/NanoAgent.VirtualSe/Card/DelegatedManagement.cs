using System.Security.Cryptography;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// Token checks of delegated management (GPC v2.3.1 §9.2.2, Annex C.4; layouts in <see cref="DelegatedToken"/> and
/// docs/lifecycle.md). A security domain with the Delegated Management privilege (byte 1 b6) but not Authorized Management
/// may INSTALL and DELETE only with a token of its owner, the security domain it is associated with: an ECDSA P-256
/// signature (r | s) over SHA-256 of <c>P1 | P2 | L | command data without the token</c>, verified with the owner's token
/// verification key, an uncompressed point the owner wrote with STORE DATA under tag 'DF7A'. PUT KEY has no token in GP:
/// such a domain changes only its own key sets. A missing key or a bad token answers '6982' and changes nothing.
/// </summary>
internal static class DelegatedManagement
{
    /// <summary>Tells whether commands of this SD need a token: Delegated Management without Authorized Management.</summary>
    public static bool NeedsToken(RegistryEntry sd) =>
        !GpPrivileges.IsIsd(sd)
        && !GpPrivileges.Has(sd, 1, GpPrivileges.AuthorizedManagement)
        && GpPrivileges.Has(sd, 0, GpPrivileges.DelegatedManagement);

    /// <summary>The security domain that issues this SD's tokens and verifies its receipts: the one it is associated with.</summary>
    public static RegistryEntry? Owner(in ManagementContext context) =>
        context.Sd.AssociatedSecurityDomain is { } owner ? context.State.Find(owner) : null;

    /// <summary>Verifies a token over P1 | P2 | L | data (GPC C.4.2, C.4.5); returns '9000' or '6982'.</summary>
    public static ushort Verify(in ManagementContext context, byte p1, byte p2, ReadOnlySpan<byte> data, ReadOnlySpan<byte> token)
    {
        RegistryEntry? owner = Owner(context);
        byte[]? point = owner?.Domain is { } d && d.StoredData.TryGetValue(StoreDataCommand.TagKey(DelegatedReceipt.TokenKeyTag), out byte[]? tlv)
            ? TlvValue(tlv)
            : null;
        if (point is not { Length: 65 } || point[0] != 0x04 || token.Length != DelegatedToken.TokenLength || data.Length > 255)
        {
            return StatusWords.SecurityStatusNotSatisfied;
        }

        byte[] signed = new byte[3 + data.Length];
        signed[0] = p1;
        signed[1] = p2;
        signed[2] = (byte)data.Length;
        data.CopyTo(signed.AsSpan(3));
        try
        {
            using ECDsa ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point[1..33], Y = point[33..65] },
            });
            return ecdsa.VerifyData(signed, token, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                ? StatusWords.Ok
                : StatusWords.SecurityStatusNotSatisfied;
        }
        catch (CryptographicException)
        {
            // Not a point on the curve: no valid token key.
            return StatusWords.SecurityStatusNotSatisfied;
        }
    }

    /// <summary>
    /// Splits DELETE data '4F' L AID ['9E' L token] (GPC §11.2.2.4) into the entry part and the token; false when the data
    /// after the AID is anything but one token TLV.
    /// </summary>
    public static bool SplitDeleteData(ReadOnlySpan<byte> data, out int entryLength, out Range token)
    {
        entryLength = data.Length;
        token = default;
        if (data.Length < 2 || data[0] != 0x4F || data.Length <= 2 + data[1])
        {
            return true;
        }

        entryLength = 2 + data[1];
        ReadOnlySpan<byte> rest = data[entryLength..];
        if (rest.Length < 2 || rest[0] != DelegatedToken.DeleteTokenTag || rest[1] != rest.Length - 2 || rest[1] == 0)
        {
            return false;
        }

        token = new Range(entryLength + 2, data.Length);
        return true;
    }

    private static byte[]? TlvValue(byte[] tlv)
    {
        // Tag 'DF7A' (2 bytes), then a BER length of 1 or 2 bytes.
        if (tlv.Length < 3)
        {
            return null;
        }

        int at = 2;
        int length = tlv[at] == 0x81 && tlv.Length > 3 ? tlv[++at] : tlv[at];
        at++;
        return tlv.Length - at == length ? tlv[at..] : null;
    }
}
