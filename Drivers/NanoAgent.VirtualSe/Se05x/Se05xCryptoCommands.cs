using System.Security.Cryptography;
using NanoAgent.VirtualSe.Se05x.State;
using T = NanoAgent.VirtualSe.Se05x.Se05xTags;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// INS_CRYPTO (NXP se05x_APDU_apis.h): ECDSASign / ECDSAVerify (P1 0C, P2 09 / 0A), ECDHGenerateSharedSecret (P1 01,
/// P2 0F), DigestOneShot (P1 00, P2 0E), HKDF (P1 00, P2 2D), CipherOneShot (P1 0E, <see cref="Se05xCipherCommand"/>), the MAC commands (P1 0D, <see cref="Se05xMacCommands"/>) and
/// I2CM_ExecuteCommandSet (P1 00, P2 30; INS 23 attested, <see cref="Se05xI2cmCommand"/>).
/// ECDSA takes a host-made SHA-256 digest (algorithm 21): "the hashing of data always must be done on the host".
/// </summary>
internal static class Se05xCryptoCommands
{
    private const byte P1Ec = 0x01;
    private const byte P1Signature = 0x0C;
    private const byte P1Cipher = 0x0E;
    private const byte P1Mac = 0x0D;

    public static ushort Handle(Se05xCall call)
    {
        bool attest = (call.Ins & 0x20) != 0;
        if (call.P1 == 0 && call.P2 == 0x30)
        {
            return Se05xI2cmCommand.Handle(call, attest);
        }

        if (attest)
        {
            return Se05xSw.InsNotSupported;
        }

        return call.P1 switch
        {
            P1Signature when call.P2 == 0x09 => Sign(call),
            P1Signature when call.P2 == 0x0A => Verify(call),
            P1Ec when call.P2 == 0x0F => Ecdh(call),
            0x00 when call.P2 == 0x0E => Digest(call),
            0x00 when call.P2 == 0x2D => Hkdf(call),
            P1Cipher when call.P2 is 0x37 or 0x38 => Se05xCipherCommand.Handle(call, encrypt: call.P2 == 0x37),
            P1Mac => Se05xMacCommands.Handle(call),
            _ => Se05xSw.IncorrectP1P2,
        };
    }

    private static ushort Sign(Se05xCall call)
    {
        // ECDSASign: TAG_1 key id, TAG_2 algorithm, TAG_3 digest → TAG_1 DER signature.
        ushort sw = Key(call, [T.Tag1, T.Tag2, T.Tag3], out Se05xObject? key);
        if (sw != 0)
        {
            return sw;
        }

        if (key!.Type is not (Se05xObjectType.EcKeyPair or Se05xObjectType.EcPrivateKey))
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        ushort denied = call.Allowed(key, Se05xAccess.Sign);
        if (denied != 0)
        {
            return denied;
        }

        call.Reply.Bytes(T.Tag1, Se05xCrypto.Sign(key.PrivateKey!, key.PublicKey!, call.Tlvs.Span(T.Tag3)));
        return Se05xSw.Ok;
    }

    private static ushort Verify(Se05xCall call)
    {
        // ECDSAVerify: TAG_1 key id, TAG_2 algorithm, TAG_3 digest, TAG_5 DER signature → TAG_1 result (01 / 02).
        ushort sw = Key(call, [T.Tag1, T.Tag2, T.Tag3, T.Tag5], out Se05xObject? key);
        if (sw != 0)
        {
            return sw;
        }

        if (!call.Tlvs.Has(T.Tag5) || call.Tlvs.Length(T.Tag5) is 0 or > 72)
        {
            return Se05xSw.WrongData;
        }

        if (key!.Type is not (Se05xObjectType.EcKeyPair or Se05xObjectType.EcPublicKey))
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        ushort denied = call.Allowed(key, Se05xAccess.Verify);
        if (denied != 0)
        {
            return denied;
        }

        bool ok = Se05xCrypto.Verify(key.PublicKey!, call.Tlvs.Span(T.Tag3), call.Tlvs.Span(T.Tag5));
        call.Reply.Byte(T.Tag1, ok ? (byte)0x01 : (byte)0x02);
        return Se05xSw.Ok;
    }

    private static ushort Ecdh(Se05xCall call)
    {
        // ECDHGenerateSharedSecret: TAG_1 key id, TAG_2 the peer's public key → TAG_1 the shared secret (x coordinate).
        // The 7.x form that keeps the secret in an object (TAG_7) is not modelled: 6A80.
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag2) || !call.TryObjectId(out uint id) || !call.Tlvs.Has(T.Tag2))
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? key = call.Tx.View.Find(id);
        if (key is null || key.Type is not (Se05xObjectType.EcKeyPair or Se05xObjectType.EcPrivateKey))
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        if (!Se05xCrypto.IsP256Point(call.Tlvs.Span(T.Tag2)))
        {
            return Se05xSw.WrongData;
        }

        ushort denied = call.Allowed(key, Se05xAccess.KeyAgreement);
        if (denied != 0)
        {
            return denied;
        }

        call.Reply.Bytes(T.Tag1, Se05xCrypto.SharedSecret(key.PrivateKey!, key.PublicKey!, call.Tlvs.Span(T.Tag2)));
        return Se05xSw.Ok;
    }

    private static ushort Digest(Se05xCall call)
    {
        // DigestOneShot: TAG_1 digest mode, TAG_2 data → TAG_1 the digest. No object, no policy.
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag2) || !call.Tlvs.TryNumber(T.Tag1, 1, out uint mode) || !call.Tlvs.Has(T.Tag2)
            || Se05xCrypto.Digest(mode, call.Tlvs.Span(T.Tag2)) is not { } digest)
        {
            return Se05xSw.WrongData;
        }

        call.Reply.Bytes(T.Tag1, digest);
        return Se05xSw.Ok;
    }

    private static ushort Hkdf(Se05xCall call)
    {
        // HKDF (RFC 5869, extract and expand): TAG_1 HMAC key id (the input key material), TAG_2 digest mode, [TAG_3
        // salt], [TAG_4 info], TAG_5 2-byte output length → TAG_1 the output. Right KDF. The expand-only P2 2F is not
        // modelled (6A86).
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag2, T.Tag3, T.Tag4, T.Tag5) || !call.TryObjectId(out uint id)
            || !call.Tlvs.TryNumber(T.Tag2, 1, out uint mode) || !call.Tlvs.TryNumber(T.Tag5, 2, out uint length))
        {
            return Se05xSw.WrongData;
        }

        (HashAlgorithmName Name, int Length)? hash = mode switch
        {
            0x01 => (HashAlgorithmName.SHA1, SHA1.HashSizeInBytes),
            0x04 => (HashAlgorithmName.SHA256, SHA256.HashSizeInBytes),
            0x05 => (HashAlgorithmName.SHA384, SHA384.HashSizeInBytes),
            0x06 => (HashAlgorithmName.SHA512, SHA512.HashSizeInBytes),
            _ => null,
        };
        if (hash is not { } h || length == 0 || length > 255 * h.Length)
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? key = call.Tx.View.Find(id);
        if (key is null || key.Type != Se05xObjectType.Hmac)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        ushort denied = call.Allowed(key, Se05xAccess.KeyDerivation);
        if (denied != 0)
        {
            return denied;
        }

        if (length + 4 > Se05xApplet.MaxPayload(call.Tx.View))
        {
            return Se05xSw.WrongLength;
        }

        byte[] salt = call.Tlvs.Has(T.Tag3) ? call.Tlvs.Value(T.Tag3) : [];
        byte[] info = call.Tlvs.Has(T.Tag4) ? call.Tlvs.Value(T.Tag4) : [];
        call.Reply.Bytes(T.Tag1, HKDF.DeriveKey(h.Name, key.Value, (int)length, salt, info));
        return Se05xSw.Ok;
    }

    private static ushort Key(Se05xCall call, int[] tags, out Se05xObject? key)
    {
        key = null;
        if (!call.Tlvs.OnlyTags(tags) || !call.TryObjectId(out uint id) || !call.Tlvs.TryNumber(T.Tag2, 1, out uint algorithm)
            || !call.Tlvs.Has(T.Tag3))
        {
            return Se05xSw.WrongData;
        }

        // Only SIG_ECDSA_SHA_256 (21) with its 32-byte digest is modelled.
        if (algorithm != Se05xCrypto.EcdsaSha256 || call.Tlvs.Length(T.Tag3) != SHA256.HashSizeInBytes)
        {
            return Se05xSw.WrongData;
        }

        key = call.Tx.View.Find(id);
        return key is null ? Se05xSw.ConditionsNotSatisfied : (ushort)0;
    }
}
