using NanoAgent.VirtualSe.Se05x.State;
using T = NanoAgent.VirtualSe.Se05x.Se05xTags;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// Key writes of INS_WRITE (NXP se05x_APDU_apis.h WriteECKey, WriteSymmKey). EC: TAG_2 curve (create only, 03 P-256 and
/// created on the card), TAG_3 private key, TAG_4 public key <c>04 X Y</c>; a key pair takes both or neither (neither:
/// generated inside, origin internal). AES/HMAC: TAG_3 the key, or with TAG_2 a KEK id the RFC 3394-wrapped key.
/// An AESKey authentication object is a 16-byte AES key (se05x-facts.md §5).
/// </summary>
internal static class Se05xKeyWrites
{
    private const byte PartPair = 0x60;
    private const byte PartPrivate = 0x40;
    private const byte PartPublic = 0x20;
    private const byte CurveP256 = 0x03;

    public static ushort CreateEc(Se05xCall call, byte part, uint id)
    {
        if (!call.Tlvs.OnlyTags(T.Policy, T.Tag1, T.Tag2, T.Tag3, T.Tag4) || !call.Tlvs.TryNumber(T.Tag2, 1, out uint curve) || part == 0)
        {
            return Se05xSw.WrongData;
        }

        if (curve != CurveP256 || !call.Tx.View.Curves.Contains(CurveP256))
        {
            // The curve must exist on the card (CreateECCurve); the virtual card models NIST P-256 only.
            return Se05xSw.ConditionsNotSatisfied;
        }

        var o = new Se05xObject { Id = id, Curve = CurveP256 };
        bool hasPrivate = call.Tlvs.Has(T.Tag3), hasPublic = call.Tlvs.Has(T.Tag4);
        switch (part)
        {
            case PartPair when !hasPrivate && !hasPublic:
                (o.PrivateKey, o.PublicKey) = Se05xCrypto.GenerateP256();
                o.Origin = Se05xObject.OriginInternal;
                o.Type = Se05xObjectType.EcKeyPair;
                break;
            case PartPair when hasPrivate && hasPublic:
                if (!Pair(call, out byte[] d, out byte[] q))
                {
                    return Se05xSw.WrongData;
                }

                (o.PrivateKey, o.PublicKey, o.Type) = (d, q, Se05xObjectType.EcKeyPair);
                break;
            case PartPrivate when hasPrivate && !hasPublic:
                byte[] scalar = call.Tlvs.Value(T.Tag3);
                if (scalar.Length != 32 || Se05xCrypto.PublicOf(scalar) is not { } derived)
                {
                    return Se05xSw.WrongData;
                }

                (o.PrivateKey, o.PublicKey, o.Type) = (scalar, derived, Se05xObjectType.EcPrivateKey);
                break;
            case PartPublic when hasPublic && !hasPrivate:
                if (!Se05xCrypto.IsP256Point(call.Tlvs.Span(T.Tag4)))
                {
                    return Se05xSw.WrongData;
                }

                (o.PublicKey, o.Type) = (call.Tlvs.Value(T.Tag4), Se05xObjectType.EcPublicKey);
                break;
            default:
                return Se05xSw.WrongData;
        }

        return Se05xWriteCommands.Add(call, o, false);
    }

    public static ushort UpdateEc(Se05xCall call, Se05xObject existing)
    {
        // "If the object already exists, P1KeyPart is ignored"; the curve is set on creation only.
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag3, T.Tag4))
        {
            return Se05xSw.WrongData;
        }

        bool hasPrivate = call.Tlvs.Has(T.Tag3), hasPublic = call.Tlvs.Has(T.Tag4);
        byte[]? d = null, q = null;
        uint right = Se05xAccess.Write;
        switch (existing.Type)
        {
            case Se05xObjectType.EcKeyPair when !hasPrivate && !hasPublic:
                right = Se05xAccess.Generate;
                (d, q) = Se05xCrypto.GenerateP256();
                break;
            case Se05xObjectType.EcKeyPair when hasPrivate && hasPublic:
                if (!Pair(call, out d, out q))
                {
                    return Se05xSw.WrongData;
                }

                break;
            case Se05xObjectType.EcPrivateKey when hasPrivate && !hasPublic:
                d = call.Tlvs.Value(T.Tag3);
                q = d.Length == 32 ? Se05xCrypto.PublicOf(d) : null;
                if (q is null)
                {
                    return Se05xSw.WrongData;
                }

                break;
            case Se05xObjectType.EcPublicKey when hasPublic && !hasPrivate:
                if (!Se05xCrypto.IsP256Point(call.Tlvs.Span(T.Tag4)))
                {
                    return Se05xSw.WrongData;
                }

                q = call.Tlvs.Value(T.Tag4);
                break;
            default:
                return Se05xSw.WrongData;
        }

        ushort denied = call.Allowed(existing, right);
        if (denied != 0)
        {
            return denied;
        }

        Se05xObject o = call.Tx.EditObject(existing.Id)!;
        o.PrivateKey = d;
        o.PublicKey = q;
        o.Origin = right == Se05xAccess.Generate ? Se05xObject.OriginInternal : Se05xObject.OriginExternal;
        return Se05xSw.Ok;
    }

    public static ushort CreateSymmetric(Se05xCall call, bool aes, bool auth, uint id)
    {
        if (!call.Tlvs.OnlyTags(T.Policy, T.MaxAttempts, T.Tag1, T.Tag2, T.Tag3))
        {
            return Se05xSw.WrongData;
        }

        ushort sw = Key(call, aes, auth, out byte[]? key);
        if (sw != 0)
        {
            return sw;
        }

        var o = new Se05xObject { Id = id, Type = aes ? Se05xObjectType.Aes : Se05xObjectType.Hmac, Value = key! };
        return Se05xWriteCommands.Add(call, o, auth);
    }

    public static ushort UpdateSymmetric(Se05xCall call, Se05xObject existing)
    {
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag2, T.Tag3))
        {
            return Se05xSw.WrongData;
        }

        ushort sw = Key(call, existing.Type == Se05xObjectType.Aes, existing.IsAuthObject, out byte[]? key);
        if (sw != 0)
        {
            return sw;
        }

        ushort denied = call.Allowed(existing, Se05xAccess.Write);
        if (denied != 0)
        {
            return denied;
        }

        Se05xObject o = call.Tx.EditObject(existing.Id)!;
        o.Value = key!;
        o.FailedAttempts = 0;
        return Se05xSw.Ok;
    }

    private static ushort Key(Se05xCall call, bool aes, bool auth, out byte[]? key)
    {
        key = null;
        if (!call.Tlvs.Has(T.Tag3))
        {
            return Se05xSw.WrongData;
        }

        key = call.Tlvs.Value(T.Tag3);
        if (call.Tlvs.Has(T.Tag2))
        {
            if (!call.Tlvs.TryNumber(T.Tag2, 4, out uint kekId))
            {
                return Se05xSw.WrongData;
            }

            Se05xObject? kek = call.Tx.View.Find(kekId);
            if (kek is null || kek.Type != Se05xObjectType.Aes || kek.IsAuthObject)
            {
                return Se05xSw.ConditionsNotSatisfied;
            }

            ushort denied = call.Allowed(kek, Se05xAccess.Wrap);
            if (denied != 0)
            {
                return denied;
            }

            key = Se05xKeyWrap.Unwrap(kek.Value, key);
            if (key is null)
            {
                return Se05xSw.WrongData;
            }
        }

        bool fits = aes ? (auth ? key.Length == 16 : key.Length is 16 or 24 or 32) : key.Length is >= 1 and <= 256;
        return fits ? (ushort)0 : Se05xSw.WrongData;
    }

    private static bool Pair(Se05xCall call, out byte[] d, out byte[] q)
    {
        d = call.Tlvs.Value(T.Tag3);
        q = call.Tlvs.Value(T.Tag4);
        return d.Length == 32 && Se05xCrypto.PublicOf(d) is { } derived && derived.AsSpan().SequenceEqual(q);
    }
}
