using System.Security.Cryptography;
using NanoAgent.VirtualSe.Se05x.State;
using T = NanoAgent.VirtualSe.Se05x.Se05xTags;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// INS_READ (NXP se05x_APDU_apis.h): ReadObject (P2 00), ReadSize (07), ReadIDList (25), ReadType (26),
/// attested ReadObject (INS 22, <see cref="Se05xAttestation"/>), ReadCryptoObjectList (P1 10, P2 25), ReadECCurveList (P1 0B, P2 25) and GetECCurveId (P1 0B, P2 36). Only ReadObject is policy-controlled (ALLOW_READ); the metadata commands answer
/// any session, as the middleware uses them to find objects before it knows their policies.
/// </summary>
internal static class Se05xReadCommands
{
    /// <summary>Identifiers per ReadIDList answer (ours; the chip's page size is not in NXP's sources).</summary>
    public const int IdsPerPage = 32;

    private const byte MoreIndicatorNoMore = 0x01; // se05x_enums.h kSE05x_MoreIndicator_NO_MORE
    private const byte MoreIndicatorMore = 0x02;   // kSE05x_MoreIndicator_MORE
    private const byte TransientPersistent = 0x01; // kSE05x_TransientIndicator_PERSISTENT
    private const byte CurveNotSet = 0x01;         // kSE05x_SetIndicator_NOT_SET
    private const byte CurveSet = 0x02;            // kSE05x_SetIndicator_SET
    private const int WeierstrassCurves = 0x11;    // se05x_enums.h kSE05x_ECCurve_Total_Weierstrass_Curves

    public static ushort Handle(Se05xCall call)
    {
        if ((call.Ins & 0x20) != 0)
        {
            // INS_READ | INS_ATTEST: ReadObject only (attested ReadObjectAttributes, 7.x, is not modelled).
            return call.P1 == 0 && call.P2 == 0 ? ReadObject(call, attested: true) : Se05xSw.IncorrectP1P2;
        }

        if (call.P1 == 0x10 && call.P2 == 0x25)
        {
            return CryptoObjectList(call);
        }

        if (call.P1 == 0x0B)
        {
            return call.P2 switch
            {
                0x25 => CurveList(call),
                0x36 => CurveOf(call),
                _ => Se05xSw.IncorrectP1P2,
            };
        }

        if (call.P1 != 0)
        {
            return Se05xSw.IncorrectP1P2;
        }

        return call.P2 switch
        {
            0x00 => ReadObject(call, attested: false),
            0x07 => ReadSize(call),
            0x25 => ReadIdList(call),
            0x26 => ReadType(call),
            _ => Se05xSw.IncorrectP1P2,
        };
    }

    private static ushort ReadObject(Se05xCall call, bool attested)
    {
        bool tags = attested ? call.Tlvs.OnlyTags(T.Tag1, T.Tag2, T.Tag3, T.Tag5, T.Tag6, T.Tag7) : call.Tlvs.OnlyTags(T.Tag1, T.Tag2, T.Tag3);
        if (!tags || !call.TryObjectId(out uint id))
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? attestationKey = null;
        if (attested)
        {
            ushort bad = Se05xAttestation.Key(call, T.Tag5, T.Tag6, out attestationKey);
            if (bad != 0)
            {
                return bad;
            }
        }

        Se05xObject? o = call.Tx.View.Find(id);
        if (o is null)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        // "If the object is a private key or a symmetric key or a userID, the command will return
        // SW_CONDITIONS_NOT_SATISFIED"; a key pair answers its public key.
        if (o.Type is Se05xObjectType.EcPrivateKey or Se05xObjectType.Aes or Se05xObjectType.Hmac or Se05xObjectType.UserId)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        bool ranged = call.Tlvs.Has(T.Tag2) || call.Tlvs.Has(T.Tag3);
        if (ranged && o.Type != Se05xObjectType.BinaryFile)
        {
            return Se05xSw.WrongData;
        }

        byte[] value = o.Type is Se05xObjectType.EcKeyPair or Se05xObjectType.EcPublicKey ? o.PublicKey! : o.Value;
        int offset = 0, length = value.Length;
        if (ranged)
        {
            // Each is optional: NXP's host leaves out a zero offset or length (se05x_tlv.c tlvSet_U16Optional), so
            // ReadObject(UNIQUE_ID, 0, 18) carries TAG_3 alone. No offset = 0; no length or length 0 = to the end.
            uint at = 0, count = 0;
            if ((call.Tlvs.Has(T.Tag2) && !call.Tlvs.TryNumber(T.Tag2, 2, out at))
                || (call.Tlvs.Has(T.Tag3) && !call.Tlvs.TryNumber(T.Tag3, 2, out count))
                || at > value.Length || (count > 0 && at + count > value.Length))
            {
                return Se05xSw.WrongData;
            }

            offset = (int)at;
            length = count == 0 ? value.Length - offset : (int)count;
        }

        ushort denied = call.Allowed(o, Se05xAccess.Read);
        if (denied != 0)
        {
            return denied;
        }

        if (length > Se05xApplet.MaxPayload(call.Tx.View))
        {
            return Se05xSw.WrongLength;
        }

        call.Reply.Bytes(T.Tag1, value.AsSpan(offset, length));
        if (attestationKey is not null)
        {
            Attest(call, o, length, attestationKey);
        }

        return Se05xSw.Ok;
    }

    // The attested answer (se05x_APDU_apis.h Se05x_API_ReadObject_W_Attst; se05x_APDU_impl.h _V2 for 7.x):
    // 3.x: TAG_2 attributes, TAG_3 timestamp, TAG_4 freshness, TAG_5 chip id, TAG_6 the signature "applied over the value
    // of TLV[TAG_1] ... TLV[TAG_5]" (the values one after the other).
    // 7.x: TAG_2 chip id, TAG_3 attributes, TAG_4 the object's size (2 bytes, as ReadSize), 4F timestamp, 52 the signature
    // over SHA-256 of the command as the host keeps it, then the answer's TLVs (82 hh ll lengths) — what NXP's
    // ex_sss_ecc_attest.c rebuilds to verify it.
    private static void Attest(Se05xCall call, Se05xObject o, int length, Se05xObject key)
    {
        Se05xState state = call.Tx.View;
        byte[] data = call.Reply.Buffer.AsSpan(4, length).ToArray();
        byte[] attributes = Se05xAttestation.Attributes(o, ReportedType(o, state));
        byte[] chipId = Se05xAttestation.ChipId(state);
        byte[] timestamp = Se05xAttestation.Timestamp(call.Applet.Options.Clock());
        if (state.AppletMajor >= 7)
        {
            int size = SizeOf(o);
            call.Reply.Bytes(T.Tag2, chipId);
            call.Reply.Bytes(T.Tag3, attributes);
            call.Reply.Bytes(T.Tag4, [(byte)(size >> 8), (byte)size]);
            call.Reply.Bytes(T.Timestamp, timestamp);
            byte[] signed = [.. SHA256.HashData(Se05xAttestation.Command(call)), .. call.Reply.Buffer.AsSpan(0, call.Reply.Length)];
            call.Reply.Bytes(T.Signature, Se05xAttestation.Sign(key, signed));
            return;
        }

        byte[] freshness = call.Tlvs.Value(T.Tag7);
        call.Reply.Bytes(T.Tag2, attributes);
        call.Reply.Bytes(T.Tag3, timestamp);
        call.Reply.Bytes(T.Tag4, freshness);
        call.Reply.Bytes(T.Tag5, chipId);
        call.Reply.Bytes(T.Tag6, Se05xAttestation.Sign(key, [.. data, .. attributes, .. timestamp, .. freshness, .. chipId]));
    }

    private static ushort ReadSize(Se05xCall call)
    {
        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.TryObjectId(out uint id))
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? o = call.Tx.View.Find(id);
        if (o is null || o.Type == Se05xObjectType.UserId)
        {
            // "For userIDs: nothing is returned (SW_CONDITIONS_NOT_SATISFIED)".
            return Se05xSw.ConditionsNotSatisfied;
        }

        call.Reply.U16(T.Tag1, SizeOf(o));
        return Se05xSw.Ok;
    }

    private static int SizeOf(Se05xObject o) =>
        o.Type is Se05xObjectType.EcKeyPair or Se05xObjectType.EcPrivateKey or Se05xObjectType.EcPublicKey ? 32 : o.Value.Length;

    private static ushort ReadType(Se05xCall call)
    {
        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.TryObjectId(out uint id))
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? o = call.Tx.View.Find(id);
        if (o is null)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        call.Reply.Byte(T.Tag1, ReportedType(o, call.Tx.View));
        call.Reply.Byte(T.Tag2, TransientPersistent);
        return Se05xSw.Ok;
    }

    // Applet 7.2 names an EC key's curve in its type: P-256 pair 29, private 2A, public 2B (se05x_enums.h under
    // SSS_HAVE_SE05X_VER_GTE_07_02; fsl_sss_se05x_apis.c reads them as pair / private / public). Applet 3.x: 01 / 02 / 03.
    // The ReadIDList filter takes the same codes (ours: the sources do not say).
    private static byte ReportedType(Se05xObject o, Se05xState state) => state.AppletMajor >= 7 && o.Curve == 0x03
        ? o.Type switch
        {
            Se05xObjectType.EcKeyPair => (byte)0x29,
            Se05xObjectType.EcPrivateKey => (byte)0x2A,
            Se05xObjectType.EcPublicKey => (byte)0x2B,
            _ => (byte)o.Type,
        }
        : (byte)o.Type;

    private static ushort ReadIdList(Se05xCall call)
    {
        // ReadIDList: TAG_1 2-byte offset (ids already read), TAG_2 type filter (FF = all) → TAG_1 more, TAG_2 ids.
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag2) || !call.Tlvs.TryNumber(T.Tag1, 2, out uint offset) || !call.Tlvs.TryNumber(T.Tag2, 1, out uint filter))
        {
            return Se05xSw.WrongData;
        }

        var ids = new List<byte>();
        int matched = 0;
        bool more = false;
        foreach (Se05xObject o in call.Tx.View.Objects)
        {
            if (filter != 0xFF && ReportedType(o, call.Tx.View) != filter)
            {
                continue;
            }

            if (matched++ < offset)
            {
                continue;
            }

            if (ids.Count == IdsPerPage * 4)
            {
                more = true;
                break;
            }

            ids.Add((byte)(o.Id >> 24));
            ids.Add((byte)(o.Id >> 16));
            ids.Add((byte)(o.Id >> 8));
            ids.Add((byte)o.Id);
        }

        call.Reply.Byte(T.Tag1, more ? MoreIndicatorMore : MoreIndicatorNoMore);
        call.Reply.Bytes(T.Tag2, ids.ToArray());
        return Se05xSw.Ok;
    }

    private static ushort CryptoObjectList(Se05xCall call)
    {
        // ReadCryptoObjectList: TAG_1 with 2-byte id, context and subtype per crypto object.
        if (call.Tlvs.Count != 0)
        {
            return Se05xSw.WrongData;
        }

        var list = new List<byte>();
        foreach (Se05xCryptoObject c in call.Applet.CryptoObjects)
        {
            list.AddRange([(byte)(c.Id >> 8), (byte)c.Id, c.Context, c.Subtype]);
        }

        call.Reply.Bytes(T.Tag1, list.ToArray());
        return Se05xSw.Ok;
    }

    private static ushort CurveList(Se05xCall call)
    {
        // ReadECCurveList: TAG_1 one SetIndicator per curve id 01..11 (the Weierstrass curves; the host's buffer holds 17).
        if (call.Tlvs.Count != 0)
        {
            return Se05xSw.WrongData;
        }

        byte[] list = new byte[WeierstrassCurves];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = call.Tx.View.Curves.Contains((byte)(i + 1)) ? CurveSet : CurveNotSet;
        }

        call.Reply.Bytes(T.Tag1, list);
        return Se05xSw.Ok;
    }

    private static ushort CurveOf(Se05xCall call)
    {
        // GetECCurveId: TAG_1 object id → TAG_1 the curve of an EC key (the middleware asks before overwriting one).
        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.TryObjectId(out uint id))
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? o = call.Tx.View.Find(id);
        if (o is null || o.Type is not (Se05xObjectType.EcKeyPair or Se05xObjectType.EcPrivateKey or Se05xObjectType.EcPublicKey))
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        call.Reply.Byte(T.Tag1, o.Curve);
        return Se05xSw.Ok;
    }
}
