using System.Security.Cryptography;
using NanoAgent.VirtualSe.Se05x.I2cm;
using NanoAgent.VirtualSe.Se05x.State;
using T = NanoAgent.VirtualSe.Se05x.Se05xTags;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// I2CM_ExecuteCommandSet (AN12413 §4.16; NXP se05x_APDU_impl.h Se05x_API_I2CM_Send / _ExecuteCommandSet): plain
/// <c>80 03 00 30</c> TAG_1 command set → TAG_1 results; attested <c>80 23 00 30</c> adds TAG_2 key id, TAG_3 algorithm
/// (21 ECDSA SHA-256), TAG_7 16-byte freshness. The attested answer has the layout of the applet version:
/// <list type="bullet">
/// <item>3.x: TAG_1 results, TAG_3 timestamp (12), TAG_4 freshness (16), TAG_5 chip id (18), TAG_6 signature;</item>
/// <item>7.x: TAG_1 results, TAG_2 chip id (18), TAG_4 object size (2, the results' length), 4F timestamp (12), 52 signature.</item>
/// </list>
/// What the signature covers is not in NXP's sources for I2CM; ours (Se05x/README.md): ECDSA SHA-256 over the answer bytes
/// before the signature TLV, on 7.x preceded by the command as the middleware keeps it for read attestation
/// (<c>80 23 00 30 00 hh ll</c> and the command data). The key needs ALLOW_ATTESTATION. When the I2CM_ACCESS credential
/// (7FFF0208) exists, only its session may use the controller (se05x_enums.h kSE05x_AppletResID_I2CM_ACCESS).
/// </summary>
internal static class Se05xI2cmCommand
{
    private const uint I2cmAccessId = 0x7FFF0208;
    private const int FreshnessLength = 16;

    public static ushort Handle(Se05xCall call, bool attested)
    {
        int[] tags = attested ? [T.Tag1, T.Tag2, T.Tag3, T.Tag7] : [T.Tag1];
        if (!call.Tlvs.OnlyTags(tags) || !call.Tlvs.Has(T.Tag1) || call.Tlvs.Length(T.Tag1) is 0 or > I2cmController.MaxCommandSet)
        {
            return Se05xSw.WrongData;
        }

        Se05xState state = call.Tx.View;
        if (state.Find(I2cmAccessId) is not null && (call.Session.AuthId != I2cmAccessId || !call.Session.Authenticated))
        {
            return Se05xSw.CommandNotAllowed;
        }

        Se05xObject? key = null;
        if (attested)
        {
            if (!call.Tlvs.TryNumber(T.Tag2, 4, out uint keyId) || !call.Tlvs.TryNumber(T.Tag3, 1, out uint algorithm)
                || algorithm != Se05xCrypto.EcdsaSha256 || !call.Tlvs.Has(T.Tag7) || call.Tlvs.Length(T.Tag7) != FreshnessLength)
            {
                return Se05xSw.WrongData;
            }

            key = state.Find(keyId);
            if (key is null || key.Type is not (Se05xObjectType.EcKeyPair or Se05xObjectType.EcPrivateKey))
            {
                return Se05xSw.ConditionsNotSatisfied;
            }

            ushort denied = call.Allowed(key, Se05xAccess.Attestation);
            if (denied != 0)
            {
                return denied;
            }
        }

        byte[] results = call.Applet.I2cm.Execute(call.Tlvs.Span(T.Tag1));
        call.Reply.Bytes(T.Tag1, results);
        if (key is null)
        {
            return Se05xSw.Ok;
        }

        byte[] chipId = state.Find(Se05xState.UniqueIdObject)?.Value ?? new byte[18];
        byte[] timestamp = Timestamp(call.Applet.Options.Clock());
        byte[] signed;
        if (state.AppletMajor >= 7)
        {
            call.Reply.Bytes(T.Tag2, chipId);
            call.Reply.Bytes(T.Tag4, [(byte)(results.Length >> 8), (byte)results.Length]);
            call.Reply.Bytes(T.Timestamp, timestamp);
            signed = [0x80, call.Ins, call.P1, call.P2, 0x00, (byte)(call.Nc >> 8), (byte)call.Nc, .. call.Data, .. call.Reply.Buffer.AsSpan(0, call.Reply.Length)];
        }
        else
        {
            call.Reply.Bytes(T.Tag3, timestamp);
            call.Reply.Bytes(T.Tag4, call.Tlvs.Span(T.Tag7));
            call.Reply.Bytes(T.Tag5, chipId);
            signed = call.Reply.Buffer.AsSpan(0, call.Reply.Length).ToArray();
        }

        byte[] signature = Se05xCrypto.Sign(key.PrivateKey!, key.PublicKey!, SHA256.HashData(signed));
        call.Reply.Bytes(state.AppletMajor >= 7 ? T.Signature : T.Tag6, signature);
        return Se05xSw.Ok;
    }

    // 12 bytes: four zero bytes, then the card clock in milliseconds (ours; AN12413 keeps the chip's format to itself).
    private static byte[] Timestamp(long milliseconds)
    {
        byte[] t = new byte[12];
        for (int i = 0; i < 8; i++)
        {
            t[11 - i] = (byte)(milliseconds >> (8 * i));
        }

        return t;
    }
}
