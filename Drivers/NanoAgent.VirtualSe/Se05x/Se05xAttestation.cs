using System.Buffers.Binary;
using System.Security.Cryptography;
using NanoAgent.VirtualSe.Se05x.State;
using T = NanoAgent.VirtualSe.Se05x.Se05xTags;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// What attested answers share (attested ReadObject, attested I2CM): the attestation key (an EC pair or private key with
/// ALLOW_ATTESTATION; algorithm 21, ECDSA SHA-256; 16 bytes of freshness), the chip id (the unique id file), the
/// 12-byte timestamp, the signature, and the object attributes an attested read reports.
/// </summary>
internal static class Se05xAttestation
{
    /// <summary>The freshness the host sends (TLV[TAG_7]).</summary>
    public const int FreshnessLength = 16;

    /// <summary>Checks the attestation key, algorithm and freshness tags; 0 when usable, else the status word.</summary>
    public static ushort Key(Se05xCall call, int keyTag, int algorithmTag, out Se05xObject? key)
    {
        key = null;
        if (!call.Tlvs.TryNumber(keyTag, 4, out uint keyId) || !call.Tlvs.TryNumber(algorithmTag, 1, out uint algorithm)
            || algorithm != Se05xCrypto.EcdsaSha256 || !call.Tlvs.Has(T.Tag7) || call.Tlvs.Length(T.Tag7) != FreshnessLength)
        {
            return Se05xSw.WrongData;
        }

        key = call.Tx.View.Find(keyId);
        if (key is null || key.Type is not (Se05xObjectType.EcKeyPair or Se05xObjectType.EcPrivateKey))
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        return call.Allowed(key, Se05xAccess.Attestation);
    }

    /// <summary>Gets the chip id: the 18-byte unique id file.</summary>
    public static byte[] ChipId(Se05xState state) => state.Find(Se05xState.UniqueIdObject)?.Value ?? new byte[18];

    /// <summary>12 bytes: four zero bytes, then the card clock in milliseconds (ours; AN12413 keeps the chip's format to itself).</summary>
    public static byte[] Timestamp(long milliseconds)
    {
        byte[] t = new byte[12];
        BinaryPrimitives.WriteInt64BigEndian(t.AsSpan(4), milliseconds);
        return t;
    }

    /// <summary>The command as NXP's host keeps it for applet 7.x attestation (se05x_APDU_impl.h
    /// Se05x_API_ReadObject_W_Attst_V2 pCmdapdu): header with CLA 80, <c>00 hh ll</c>, the data.</summary>
    public static byte[] Command(Se05xCall call) =>
        [0x80, call.Ins, call.P1, call.P2, 0x00, (byte)(call.Nc >> 8), (byte)call.Nc, .. call.Data];

    /// <summary>ECDSA SHA-256 with the attestation key over the given bytes.</summary>
    public static byte[] Sign(Se05xObject key, ReadOnlySpan<byte> signed) =>
        Se05xCrypto.Sign(key.PrivateKey!, key.PublicKey!, SHA256.HashData(signed));

    /// <summary>
    /// An object's attributes in an attested read (AN12413 ObjectAttributes; the layout is not in NXP's sources, so ours):
    /// id (4), type as ReadType reports it (1), authentication object 01 / not 02 (1), failed attempts (2), the auth
    /// object that created it (4), maximum attempts (2), policy (variable), origin (1).
    /// </summary>
    public static byte[] Attributes(Se05xObject o, byte type)
    {
        byte[] policy = o.Policy ?? [];
        byte[] a = new byte[4 + 1 + 1 + 2 + 4 + 2 + policy.Length + 1];
        BinaryPrimitives.WriteUInt32BigEndian(a, o.Id);
        a[4] = type;
        a[5] = o.IsAuthObject ? (byte)0x01 : (byte)0x02;
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(6), (ushort)o.FailedAttempts);
        BinaryPrimitives.WriteUInt32BigEndian(a.AsSpan(8), o.Owner);
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(12), (ushort)o.MaxAttempts);
        policy.CopyTo(a, 14);
        a[14 + policy.Length] = o.Origin;
        return a;
    }
}
