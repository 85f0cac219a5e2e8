using NanoAgent.VirtualSe.Se05x.State;
using T = NanoAgent.VirtualSe.Se05x.Se05xTags;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// INS_WRITE (AN12413 §4.7; NXP se05x_APDU_apis.h WriteECKey, WriteSymmKey, WriteBinary, WriteUserID, CreateCounter):
/// creates an object when its id is free, else updates it. TAG_POLICY and TAG_MAX_ATTEMPTS are taken only on creation
/// ("Conditional: only when the object identifier is not in use yet"), TAG_MAX_ATTEMPTS only with INS_AUTH_OBJECT.
/// P1 = key part (60 pair, 40 private, 20 public) | type (01 EC, 03 AES, 05 HMAC, 06 binary, 07 UserID, 08 counter,
/// 10 crypto object); P2 = 00. RSA, DES, PCR and transient objects are not modelled (6A86 / 6D00).
/// </summary>
internal static class Se05xWriteCommands
{
    private const byte TypeEc = 0x01;
    private const byte TypeAes = 0x03;
    private const byte TypeHmac = 0x05;
    private const byte TypeBinary = 0x06;
    private const byte TypeUserId = 0x07;
    private const byte TypeCounter = 0x08;
    private const byte TypeCryptoObject = 0x10;

    /// <summary>Bytes of persistent memory a fresh card offers (ours: about an SE050's 50 kB user NVM).</summary>
    private const int MemoryBudget = 50_000;

    /// <summary>Bookkeeping bytes counted per object against <see cref="MemoryBudget"/> (ours).</summary>
    private const int ObjectOverhead = 64;

    public static ushort Handle(Se05xCall call)
    {
        byte type = (byte)(call.P1 & 0x1F);
        byte part = (byte)(call.P1 & 0x60);
        bool auth = (call.Ins & 0x40) != 0;
        if ((call.P1 & 0x80) != 0 || (part != 0 && type != TypeEc))
        {
            return Se05xSw.IncorrectP1P2;
        }

        if (type == TypeCryptoObject)
        {
            return call.P2 == 0 && !auth ? Se05xMacCommands.CreateCryptoObject(call) : Se05xSw.IncorrectP1P2;
        }

        if (call.P2 != 0 || type is not (TypeEc or TypeAes or TypeHmac or TypeBinary or TypeUserId or TypeCounter)
            || (auth && type is not (TypeAes or TypeUserId)))
        {
            return Se05xSw.IncorrectP1P2;
        }

        if (!call.TryObjectId(out uint id) || id == 0)
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? existing = call.Tx.View.Find(id);
        if (existing is null)
        {
            ushort bad = Applet7Extras(call, type, null);
            return bad != 0 ? bad : Create(call, type, part, auth, id);
        }

        if (call.Tlvs.Has(T.Policy) || call.Tlvs.Has(T.MaxAttempts))
        {
            return Se05xSw.WrongData;
        }

        if (!Matches(type, existing.Type) || existing.Origin == Se05xObject.OriginProvisioned)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        ushort extras = Applet7Extras(call, type, existing);
        if (extras != 0)
        {
            return extras;
        }

        return type switch
        {
            TypeEc => Se05xKeyWrites.UpdateEc(call, existing),
            TypeAes or TypeHmac => Se05xKeyWrites.UpdateSymmetric(call, existing),
            TypeBinary => UpdateBinary(call, existing),
            TypeUserId => UpdateUserId(call, existing),
            _ => UpdateCounter(call, existing),
        };
    }

    /// <summary>Adds a new object after the checks common to every type: reserved ids, policy, attempts, memory.</summary>
    public static ushort Add(Se05xCall call, Se05xObject o, bool auth)
    {
        // kSE05x_AppletResID_*: the 7FFFxxxx range is the applet's; of it only its authentication credentials can be created.
        if ((o.Id & 0xFFFF0000) == 0x7FFF0000 && !(auth && o.Id is 0x7FFF0200 or 0x7FFF0204 or 0x7FFF0205 or 0x7FFF0207 or 0x7FFF0208 or 0x7FFF020A))
        {
            return Se05xSw.WrongData;
        }

        if (call.Tlvs.Has(T.Policy))
        {
            ushort bad = Se05xPolicyRules.Validate(call.Tlvs.Span(T.Policy));
            if (bad != 0)
            {
                return bad;
            }

            o.Policy = call.Tlvs.Value(T.Policy);
        }

        if (call.Tlvs.Has(T.MaxAttempts))
        {
            // TAG_MAX_ATTEMPTS: 2 bytes, only for authentication objects; for UserIDs below 256 (se05x_APDU_apis.h WriteUserID).
            if (!auth || !call.Tlvs.TryNumber(T.MaxAttempts, 2, out uint max) || (o.Type == Se05xObjectType.UserId && max > 255))
            {
                return Se05xSw.WrongData;
            }

            o.MaxAttempts = (int)max;
        }

        o.IsAuthObject = auth;
        o.Owner = call.Session.AuthId;
        if (Used(call.Tx.View) + Size(o) > MemoryBudget)
        {
            return Se05xSw.FileFull;
        }

        call.Tx.Add(o);
        return Se05xSw.Ok;
    }

    // Applet 7.x writes (NXP se05x_04_xx_APDU_impl.h *_Ver): TLV[TAG_11] a 4-byte key version on EC, AES, HMAC and binary
    // writes; a new HMAC key's TLV[TAG_5] 2-byte minimum key-derivation output length (WriteSymmKey_Ver,
    // SE05X_MINIMUM_KEY_DERIVATION_OUTPUT_LEN); on an update TLV[TAG_POLICY_CHECK] "should match with existing policy on
    // object" (se05x_04_xx_APDU_apis.h), also on counters. Applet 3.x takes none of them (6A80); an EC update still has no
    // curve (the host sends kSE05x_ECCurve_NA for an existing key, fsl_sss_se05x_apis.c). A policy that does not match: 6985 (ours; NXP's sources give no SW). Version and minimum
    // length are accepted, not kept (nothing the virtual card does reads them).
    private static ushort Applet7Extras(Se05xCall call, byte type, Se05xObject? existing)
    {
        bool applet7 = call.Tx.View.AppletMajor >= 7;
        if (call.Tlvs.Has(T.Tag11))
        {
            if (!applet7 || type is not (TypeEc or TypeAes or TypeHmac or TypeBinary) || call.Tlvs.Length(T.Tag11) != 4)
            {
                return Se05xSw.WrongData;
            }

            call.Tlvs.Consume(T.Tag11);
        }

        if (call.Tlvs.Has(T.Tag5) && type == TypeHmac && existing is null)
        {
            if (!applet7 || call.Tlvs.Length(T.Tag5) != 2)
            {
                return Se05xSw.WrongData;
            }

            call.Tlvs.Consume(T.Tag5);
        }

        if (call.Tlvs.Has(T.PolicyCheck))
        {
            if (!applet7 || existing is null || type is not (TypeEc or TypeAes or TypeHmac or TypeBinary or TypeCounter))
            {
                return Se05xSw.WrongData;
            }

            if (existing.Policy is null || !call.Tlvs.Span(T.PolicyCheck).SequenceEqual(existing.Policy))
            {
                return Se05xSw.ConditionsNotSatisfied;
            }

            call.Tlvs.Consume(T.PolicyCheck);
        }

        return 0;
    }

    private static ushort Create(Se05xCall call, byte type, byte part, bool auth, uint id) => type switch
    {
        TypeEc => Se05xKeyWrites.CreateEc(call, part, id),
        TypeAes or TypeHmac => Se05xKeyWrites.CreateSymmetric(call, type == TypeAes, auth, id),
        TypeBinary => CreateBinary(call, id),
        TypeUserId => CreateUserId(call, auth, id),
        _ => CreateCounter(call, id),
    };

    private static bool Matches(byte type, Se05xObjectType existing) => type switch
    {
        TypeEc => existing is Se05xObjectType.EcKeyPair or Se05xObjectType.EcPrivateKey or Se05xObjectType.EcPublicKey,
        TypeAes => existing == Se05xObjectType.Aes,
        TypeHmac => existing == Se05xObjectType.Hmac,
        TypeBinary => existing == Se05xObjectType.BinaryFile,
        TypeUserId => existing == Se05xObjectType.UserId,
        _ => existing == Se05xObjectType.Counter,
    };

    private static ushort CreateBinary(Se05xCall call, uint id)
    {
        // WriteBinary: TAG_2 offset, TAG_3 file length (create only, up to 7FFF), TAG_4 data.
        if (!call.Tlvs.OnlyTags(T.Policy, T.Tag1, T.Tag2, T.Tag3, T.Tag4) || !call.Tlvs.TryNumber(T.Tag3, 2, out uint length)
            || length is 0 or > 0x7FFF || !Range(call, (int)length, out int offset, out ReadOnlySpan<byte> data))
        {
            return Se05xSw.WrongData;
        }

        var o = new Se05xObject { Id = id, Type = Se05xObjectType.BinaryFile, Value = new byte[length] };
        data.CopyTo(o.Value.AsSpan(offset));
        return Add(call, o, false);
    }

    private static ushort UpdateBinary(Se05xCall call, Se05xObject existing)
    {
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag2, T.Tag4) || !call.Tlvs.Has(T.Tag4) || !Range(call, existing.Value.Length, out int offset, out ReadOnlySpan<byte> data))
        {
            return Se05xSw.WrongData;
        }

        ushort denied = call.Allowed(existing, Se05xAccess.Write);
        if (denied != 0)
        {
            return denied;
        }

        data.CopyTo(call.Tx.EditObject(existing.Id)!.Value.AsSpan(offset));
        return Se05xSw.Ok;
    }

    private static bool Range(Se05xCall call, int length, out int offset, out ReadOnlySpan<byte> data)
    {
        offset = 0;
        data = call.Tlvs.Has(T.Tag4) ? call.Tlvs.Span(T.Tag4) : [];
        if (call.Tlvs.Has(T.Tag2))
        {
            if (!call.Tlvs.TryNumber(T.Tag2, 2, out uint at))
            {
                return false;
            }

            offset = (int)at;
        }

        return offset + data.Length <= length && (!call.Tlvs.Has(T.Tag4) || data.Length > 0);
    }

    private static ushort CreateUserId(Se05xCall call, bool auth, uint id)
    {
        if (!call.Tlvs.OnlyTags(T.Policy, T.MaxAttempts, T.Tag1, T.Tag2) || !call.Tlvs.Has(T.Tag2) || call.Tlvs.Length(T.Tag2) is < 4 or > 16)
        {
            return Se05xSw.WrongData;
        }

        return Add(call, new Se05xObject { Id = id, Type = Se05xObjectType.UserId, Value = call.Tlvs.Value(T.Tag2) }, auth);
    }

    private static ushort UpdateUserId(Se05xCall call, Se05xObject existing)
    {
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag2) || !call.Tlvs.Has(T.Tag2) || call.Tlvs.Length(T.Tag2) is < 4 or > 16)
        {
            return Se05xSw.WrongData;
        }

        ushort denied = call.Allowed(existing, Se05xAccess.Write);
        if (denied != 0)
        {
            return denied;
        }

        Se05xObject o = call.Tx.EditObject(existing.Id)!;
        o.Value = call.Tlvs.Value(T.Tag2);
        o.FailedAttempts = 0;
        return Se05xSw.Ok;
    }

    private static ushort CreateCounter(Se05xCall call, uint id)
    {
        // CreateCounter: TAG_2 2-byte size 1..8 when TAG_3 is absent; TAG_3 the first value, its length the size.
        if (!call.Tlvs.OnlyTags(T.Policy, T.Tag1, T.Tag2, T.Tag3) || !(call.Tlvs.Has(T.Tag2) || call.Tlvs.Has(T.Tag3)))
        {
            return Se05xSw.WrongData;
        }

        int size = call.Tlvs.Has(T.Tag3) ? call.Tlvs.Length(T.Tag3) : 0;
        if (call.Tlvs.Has(T.Tag2))
        {
            if (!call.Tlvs.TryNumber(T.Tag2, 2, out uint declared) || (size != 0 && declared != size))
            {
                return Se05xSw.WrongData;
            }

            size = (int)declared;
        }

        if (size is < 1 or > 8)
        {
            return Se05xSw.WrongData;
        }

        byte[] value = call.Tlvs.Has(T.Tag3) ? call.Tlvs.Value(T.Tag3) : new byte[size];
        return Add(call, new Se05xObject { Id = id, Type = Se05xObjectType.Counter, Value = value }, false);
    }

    private static ushort UpdateCounter(Se05xCall call, Se05xObject existing)
    {
        // "Counters can only be incremented, not decremented"; at the maximum "they cannot be incremented again";
        // "An input value (TAG_3) must always have the same length as the existing counter" (se05x_APDU_apis.h).
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag3) || (call.Tlvs.Has(T.Tag3) && call.Tlvs.Length(T.Tag3) != existing.Value.Length))
        {
            return Se05xSw.WrongData;
        }

        ushort denied = call.Allowed(existing, Se05xAccess.Write);
        if (denied != 0)
        {
            return denied;
        }

        byte[] next = existing.Value.ToArray();
        if (call.Tlvs.Has(T.Tag3))
        {
            next = call.Tlvs.Value(T.Tag3);
            if (next.AsSpan().SequenceCompareTo(existing.Value) < 0)
            {
                return Se05xSw.ConditionsNotSatisfied;
            }
        }
        else if (!Increment(next))
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        call.Tx.EditObject(existing.Id)!.Value = next;
        return Se05xSw.Ok;
    }

    private static bool Increment(byte[] value)
    {
        for (int i = value.Length - 1; i >= 0; i--)
        {
            if (++value[i] != 0)
            {
                return true;
            }
        }

        return false; // it was all FF: at its maximum
    }

    /// <summary>Bytes of persistent memory left.</summary>
    public static int FreePersistent(Se05xState state) => Math.Max(0, MemoryBudget - Used(state));

    private static int Used(Se05xState state)
    {
        int total = 0;
        foreach (Se05xObject o in state.Objects)
        {
            total += Size(o);
        }

        return total;
    }

    private static int Size(Se05xObject o) =>
        ObjectOverhead + o.Value.Length + (o.Policy?.Length ?? 0) + (o.PrivateKey?.Length ?? 0) + (o.PublicKey?.Length ?? 0);
}
