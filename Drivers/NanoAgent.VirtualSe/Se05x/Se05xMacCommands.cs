using NanoAgent.Drivers.Crypto;
using NanoAgent.VirtualSe.Se05x.State;
using T = NanoAgent.VirtualSe.Se05x.Se05xTags;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// MACs (NXP se05x_APDU_apis.h MACOneShot_G/_V, MACInit/Update/Final, CreateCryptoObject, DeleteCryptoObject):
/// one-shot generate <c>80 03 0D 45</c> and validate <c>46</c> (TAG_1 key, TAG_2 algorithm, TAG_3 data, TAG_5 MAC);
/// MACInit <c>0D 03</c> (generate) or <c>0D 44</c> (validate) with TAG_1 key and TAG_2 crypto object; MACUpdate <c>0C</c>
/// and MACFinal <c>0D</c> with TAG_1 data, TAG_2 crypto object, on Final TAG_3 the MAC to validate. Results are
/// TLV[TAG_1] 01 SUCCESS / 02 FAILURE. HMAC-SHA1/256/384/512 (18-1B) need an HMAC key, CMAC-128 (31) an AES key; the
/// policy right is SIGN for generating, VERIFY for validating. Crypto objects are bound to the authentication object that
/// created them ("it is bound to the user who created the Crypto Object").
/// </summary>
internal static class Se05xMacCommands
{
    private const byte P2Generate = 0x03;
    private const byte P2Validate = 0x44;
    private const byte P2Update = 0x0C;
    private const byte P2Final = 0x0D;
    private const byte P2GenerateOneShot = 0x45;
    private const byte P2ValidateOneShot = 0x46;

    public static ushort Handle(Se05xCall call) => call.P2 switch
    {
        P2GenerateOneShot or P2ValidateOneShot => OneShot(call, call.P2 == P2ValidateOneShot),
        P2Generate or P2Validate => Init(call, call.P2 == P2Validate),
        P2Update => Update(call, false),
        P2Final => Update(call, true),
        _ => Se05xSw.IncorrectP1P2,
    };

    public static ushort CreateCryptoObject(Se05xCall call)
    {
        // TAG_1 2-byte id, TAG_2 CryptoContext, TAG_3 subtype; only CC_SIGNATURE (03) with a MAC algorithm is modelled.
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag2, T.Tag3) || !call.Tlvs.TryNumber(T.Tag1, 2, out uint id)
            || !call.Tlvs.TryNumber(T.Tag2, 1, out uint context) || !call.Tlvs.TryNumber(T.Tag3, 1, out uint subtype))
        {
            return Se05xSw.WrongData;
        }

        if (context != Se05xCryptoObject.ContextMac || Se05xCrypto.MacLength((byte)subtype) == 0)
        {
            return Se05xSw.WrongData;
        }

        Se05xApplet applet = call.Applet;
        if (applet.CryptoObjects.Exists(c => c.Id == id))
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        if (applet.CryptoAllocations >= Se05xApplet.CryptoObjectBudget)
        {
            return Se05xSw.FileFull;
        }

        applet.CryptoAllocations++;
        applet.CryptoObjectWrites++;
        applet.CryptoObjects.Add(new Se05xCryptoObject((ushort)id, (byte)context, (byte)subtype, call.Session.AuthId));
        return Se05xSw.Ok;
    }

    public static ushort DeleteCryptoObject(Se05xCall call)
    {
        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.Tlvs.TryNumber(T.Tag1, 2, out uint id))
        {
            return Se05xSw.WrongData;
        }

        Se05xCryptoObject? c = call.Applet.CryptoObjects.Find(x => x.Id == id);
        if (c is null || c.Creator != call.Session.AuthId)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        // "the transient memory is only freed when de-selecting the applet": the allocation stays counted.
        call.Applet.CryptoObjects.Remove(c);
        call.Applet.CryptoObjectWrites++;
        return Se05xSw.Ok;
    }

    private static ushort OneShot(Se05xCall call, bool validate)
    {
        int[] tags = validate ? [T.Tag1, T.Tag2, T.Tag3, T.Tag5] : [T.Tag1, T.Tag2, T.Tag3];
        if (!call.Tlvs.OnlyTags(tags) || !call.TryObjectId(out uint id) || !call.Tlvs.TryNumber(T.Tag2, 1, out uint algorithm)
            || !call.Tlvs.Has(T.Tag3) || (validate && !call.Tlvs.Has(T.Tag5)))
        {
            return Se05xSw.WrongData;
        }

        ushort sw = Key(call, id, (byte)algorithm, validate, out Se05xObject? key);
        if (sw != 0)
        {
            return sw;
        }

        byte[] mac = Se05xCrypto.Mac((byte)algorithm, key!.Value, call.Tlvs.Span(T.Tag3));
        if (validate)
        {
            call.Reply.Byte(T.Tag1, Matches(mac, call.Tlvs.Value(T.Tag5)) ? (byte)0x01 : (byte)0x02);
        }
        else
        {
            call.Reply.Bytes(T.Tag1, mac);
        }

        return Se05xSw.Ok;
    }

    private static ushort Init(Se05xCall call, bool validate)
    {
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag2) || !call.TryObjectId(out uint id) || !call.Tlvs.TryNumber(T.Tag2, 2, out uint cryptoId))
        {
            return Se05xSw.WrongData;
        }

        Se05xCryptoObject? c = Owned(call, cryptoId);
        if (c is null)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        ushort sw = Key(call, id, c.Subtype, validate, out Se05xObject? key);
        if (sw != 0)
        {
            return sw;
        }

        c.Mac = Se05xCrypto.Start(c.Subtype, key!.Value);
        c.Validates = validate;
        c.KeyId = id;
        call.Applet.CryptoObjectWrites++;
        return Se05xSw.Ok;
    }

    private static ushort Update(Se05xCall call, bool final)
    {
        int[] tags = final ? [T.Tag1, T.Tag2, T.Tag3] : [T.Tag1, T.Tag2];
        if (!call.Tlvs.OnlyTags(tags) || !call.Tlvs.TryNumber(T.Tag2, 2, out uint cryptoId))
        {
            return Se05xSw.WrongData;
        }

        Se05xCryptoObject? c = Owned(call, cryptoId);
        if (c?.Mac is null || call.Tx.View.Find(c.KeyId) is null)
        {
            // No MACInit before, or the key was deleted since.
            return Se05xSw.ConditionsNotSatisfied;
        }

        if (final && c.Validates != call.Tlvs.Has(T.Tag3))
        {
            return Se05xSw.WrongData;
        }

        if (call.Tlvs.Has(T.Tag1))
        {
            c.Mac.Update(call.Tlvs.Span(T.Tag1));
        }

        call.Applet.CryptoObjectWrites++;
        if (!final)
        {
            return Se05xSw.Ok;
        }

        byte[] mac = c.Mac.Finish();
        c.Mac = null;
        if (c.Validates)
        {
            call.Reply.Byte(T.Tag1, Matches(mac, call.Tlvs.Value(T.Tag3)) ? (byte)0x01 : (byte)0x02);
        }
        else
        {
            call.Reply.Bytes(T.Tag1, mac);
        }

        return Se05xSw.Ok;
    }

    private static Se05xCryptoObject? Owned(Se05xCall call, uint id) =>
        call.Applet.CryptoObjects.Find(x => x.Id == id && x.Creator == call.Session.AuthId && x.Context == Se05xCryptoObject.ContextMac);

    private static ushort Key(Se05xCall call, uint id, byte algorithm, bool validate, out Se05xObject? key)
    {
        key = call.Tx.View.Find(id);
        if (Se05xCrypto.MacLength(algorithm) == 0)
        {
            return Se05xSw.WrongData;
        }

        if (key is null || key.IsAuthObject || !Se05xCrypto.Suits(algorithm, key.Type))
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        return call.Allowed(key, validate ? Se05xAccess.Verify : Se05xAccess.Sign);
    }

    // A MAC of another length than the algorithm's never validates (no truncated MACs); compared in constant time.
    private static bool Matches(byte[] expected, byte[] given) =>
        given.Length == expected.Length && ConstantTime.AreEqual(expected, 0, given, 0, given.Length);
}
