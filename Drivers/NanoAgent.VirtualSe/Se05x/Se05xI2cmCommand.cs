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
            ushort bad = Se05xAttestation.Key(call, T.Tag2, T.Tag3, out key);
            if (bad != 0)
            {
                return bad;
            }
        }

        byte[] results = call.Applet.I2cm.Execute(call.Tlvs.Span(T.Tag1));
        call.Reply.Bytes(T.Tag1, results);
        if (key is null)
        {
            return Se05xSw.Ok;
        }

        byte[] chipId = Se05xAttestation.ChipId(state);
        byte[] timestamp = Se05xAttestation.Timestamp(call.Applet.Options.Clock());
        byte[] signed;
        if (state.AppletMajor >= 7)
        {
            call.Reply.Bytes(T.Tag2, chipId);
            call.Reply.Bytes(T.Tag4, [(byte)(results.Length >> 8), (byte)results.Length]);
            call.Reply.Bytes(T.Timestamp, timestamp);
            signed = [.. Se05xAttestation.Command(call), .. call.Reply.Buffer.AsSpan(0, call.Reply.Length)];
        }
        else
        {
            call.Reply.Bytes(T.Tag3, timestamp);
            call.Reply.Bytes(T.Tag4, call.Tlvs.Span(T.Tag7));
            call.Reply.Bytes(T.Tag5, chipId);
            signed = call.Reply.Buffer.AsSpan(0, call.Reply.Length).ToArray();
        }

        call.Reply.Bytes(state.AppletMajor >= 7 ? T.Signature : T.Tag6, Se05xAttestation.Sign(key, signed));
        return Se05xSw.Ok;
    }
}
