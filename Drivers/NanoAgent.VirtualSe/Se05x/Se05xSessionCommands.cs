using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Scp03;
using NanoAgent.VirtualSe.Se05x.State;
using T = NanoAgent.VirtualSe.Se05x.Se05xTags;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// Applet sessions (AN12413; NXP se05x_APDU_apis.h CreateSession, CloseSession, VerifySessionUserID; se05x_tlv.c
/// se05x_Transform and se05x_Transform_scp for ProcessSessionCmd; se05x-facts.md §5):
/// <list type="bullet">
/// <item>CreateSession <c>80 04 00 1B</c> TAG_1 auth id, in the default session: TAG_1 8-byte session id. An absent,
/// non-authentication or blocked object gets 6985 ("the authenticator does not exist"; NXP's sources give no other SW for a
/// blocked one); a third open session 6A84.</item>
/// <item>ProcessSessionCmd <c>80 05 00 00</c> TAG_SESSION_ID (10) 8 bytes, TAG_1 the inner APDU: the answer is the inner
/// answer itself. An unknown session gets 6985.</item>
/// <item>UserID: VerifySessionUserID <c>80 04 00 2C</c> TAG_1 value, in the session, gives 9000 or 6985; outside a session
/// 6B00. AESKey: INITIALIZE UPDATE <c>80 50 00 00</c> and EXTERNAL AUTHENTICATE <c>84 82</c> with the key as ENC, MAC and
/// DEK, then every inner APDU in SCP03; a failed secure-messaging check ends the session. Before authentication any other
/// inner command gets 6982.</item>
/// <item>Every failed authentication adds one to the object's failed attempts (persistent, committed although the command
/// fails); at TAG_MAX_ATTEMPTS the object is blocked; a success resets the count.</item>
/// </list>
/// </summary>
internal static class Se05xSessionCommands
{
    public static ushort Create(Se05xCall call)
    {
        if (!call.Session.IsDefault)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.TryObjectId(out uint authId))
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? auth = call.Tx.View.Find(authId);
        if (auth is null || !auth.IsAuthObject || auth.Type is not (Se05xObjectType.UserId or Se05xObjectType.Aes) || auth.IsBlocked)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        List<Se05xAppletSession> sessions = call.Applet.Sessions;
        if (sessions.Count >= Se05xApplet.MaxSessions)
        {
            return Se05xSw.FileFull;
        }

        byte[] id = call.Applet.Random(8);
        sessions.Add(Se05xAppletSession.Create(id, auth));
        call.Reply.Bytes(T.Tag1, id);
        return Se05xSw.Ok;
    }

    public static ushort Close(Se05xCall call)
    {
        if (call.Nc != 0)
        {
            return Se05xSw.WrongData;
        }

        // CloseSession is sent in the session it closes; in the default session there is nothing to close.
        return call.Session.IsDefault ? Se05xSw.ConditionsNotSatisfied : Se05xSw.Ok;
    }

    public static ushort VerifyUserId(Se05xCall call)
    {
        if (call.Session.IsDefault)
        {
            return Se05xSw.WrongP1P2;
        }

        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.Tlvs.Has(T.Tag1))
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? auth = call.Tx.View.Find(call.Session.AuthId);
        if (auth is null || auth.Type != Se05xObjectType.UserId || auth.IsBlocked || call.Session.Authenticated)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        byte[] given = call.Tlvs.Value(T.Tag1);
        bool match = given.Length == auth.Value.Length && ConstantTime.AreEqual(given, 0, auth.Value, 0, given.Length);
        Attempt(call, auth, match);
        call.Session.Authenticated = match;
        return match ? Se05xSw.Ok : Se05xSw.ConditionsNotSatisfied;
    }

    /// <summary>Runs ProcessSessionCmd; the inner answer (data and status word, SCP03-wrapped in an AESKey session) goes to the output.</summary>
    public static int Process(Se05xCall outer, byte[] apdu, in CommandApduView view, Span<byte> output, out ushort effectiveSw)
    {
        Se05xApplet applet = outer.Applet;
        Se05xTlvs tlvs = outer.Tlvs;
        if (view.P1 != 0 || view.P2 != 0)
        {
            effectiveSw = Se05xSw.IncorrectP1P2;
            return Se05xApplet.Sw(output, 0, effectiveSw);
        }

        if (!tlvs.OnlyTags(T.SessionId, T.Tag1) || !tlvs.Has(T.SessionId) || tlvs.Length(T.SessionId) != 8 || !tlvs.Has(T.Tag1))
        {
            effectiveSw = Se05xSw.WrongData;
            return Se05xApplet.Sw(output, 0, effectiveSw);
        }

        Se05xAppletSession? session = applet.Sessions.Find(s => tlvs.Span(T.SessionId).SequenceEqual(s.Id));
        if (session is null)
        {
            effectiveSw = Se05xSw.ConditionsNotSatisfied;
            return Se05xApplet.Sw(output, 0, effectiveSw);
        }

        byte[] inner = tlvs.Value(T.Tag1);
        if (CommandApduView.TryParse(inner, 0, inner.Length, out CommandApduView iv) != 0)
        {
            effectiveSw = Se05xSw.WrongLength;
            return Se05xApplet.Sw(output, 0, effectiveSw);
        }

        if (session.AuthType == Se05xObjectType.Aes && !session.Authenticated)
        {
            effectiveSw = AuthenticateAes(outer, session, inner, iv, output, out int length);
            return length;
        }

        if (session.AuthType == Se05xObjectType.Aes)
        {
            return Secured(outer, session, inner, output, out effectiveSw);
        }

        effectiveSw = Run(outer, session, inner, iv);
        int n = applet.Answer(effectiveSw, output);
        if (effectiveSw == Se05xSw.Ok && (iv.Ins & 0x1F) == 0x04 && iv.P2 == 0x1C)
        {
            applet.Sessions.Remove(session);
        }

        return n;
    }

    private static int Secured(Se05xCall outer, Se05xAppletSession session, byte[] inner, Span<byte> output, out ushort effectiveSw)
    {
        Se05xApplet applet = outer.Applet;
        byte[] plain = new byte[inner.Length];
        if (!session.Scp!.TryUnwrapCommand(inner, 0, inner.Length, plain, 0, out int plainLength, out ushort error))
        {
            // GP Amd D §6.2.4: a secure messaging failure ends the secure channel; the applet session goes with it.
            applet.Sessions.Remove(session);
            effectiveSw = error;
            return Se05xApplet.Sw(output, 0, error);
        }

        if (CommandApduView.TryParse(plain, 0, plainLength, out CommandApduView pv) != 0)
        {
            effectiveSw = Se05xSw.WrongLength;
        }
        else
        {
            effectiveSw = Run(outer, session, plain, pv);
        }

        byte[] data = effectiveSw == Se05xSw.Ok ? applet.Reply.Buffer.AsSpan(0, applet.Reply.Length).ToArray() : [];
        byte[] wrapped = new byte[data.Length + 16 + 16 + 2];
        int n = session.Scp.WrapResponse(data, 0, data.Length, effectiveSw, wrapped, 0);
        wrapped.AsSpan(0, n).CopyTo(output);
        if (effectiveSw == Se05xSw.Ok && (pv.Ins & 0x1F) == 0x04 && pv.P2 == 0x1C)
        {
            applet.Sessions.Remove(session);
        }

        return n;
    }

    private static ushort Run(Se05xCall outer, Se05xAppletSession session, byte[] command, in CommandApduView v)
    {
        Se05xApplet applet = outer.Applet;
        applet.Reply.Clear();
        var call = new Se05xCall(applet, outer.Tx)
        {
            Session = session,
            Cla = v.Cla,
            Ins = v.Ins,
            P1 = v.P1,
            P2 = v.P2,
            Nc = v.Nc,
            Data = command.AsSpan(v.DataOffset, v.Nc).ToArray(),
        };
        ushort sw = call.Tlvs.Parse(command, v.DataOffset, v.Nc);
        if (sw != 0)
        {
            return sw;
        }

        if (v.Cla != 0x80)
        {
            return Se05xSw.ClaNotSupported;
        }

        bool verify = (v.Ins & 0xFF) == 0x04 && v.P1 == 0 && v.P2 == 0x2C;
        if (!session.Authenticated && !verify)
        {
            return Se05xSw.SecurityStatus;
        }

        return applet.Dispatch(call);
    }

    private static ushort AuthenticateAes(
        Se05xCall outer, Se05xAppletSession session, byte[] inner, in CommandApduView iv, Span<byte> output, out int length)
    {
        Se05xObject? auth = outer.Tx.View.Find(session.AuthId);
        byte[] answer = new byte[64];
        ushort sw;
        if (auth is null || auth.IsBlocked)
        {
            sw = Se05xSw.ConditionsNotSatisfied;
            length = Se05xApplet.Sw(output, 0, sw);
            return sw;
        }

        if (iv.Cla == 0x80 && iv.Ins == 0x50)
        {
            // SCP03 with the AESKey value as ENC, MAC and DEK, key version 00 (se05x-facts.md §5; fsl_sss_se05x_scp03.c).
            var keys = new Scp03StaticKeys(DotNetAesFactory.Instance, 0x00, auth.Value, auth.Value, auth.Value);
            session.Scp = new Scp03CardSession(keys, new Scp03CardOptions
            {
                IParameter = 0x60,
                KeyDiversificationData = outer.Tx.View.Find(Se05xState.UniqueIdObject)?.Value[..10] ?? new byte[10],
                Random = outer.Applet.Options.Random,
            });
            length = session.Scp.ProcessInitializeUpdate(inner, 0, inner.Length, answer, 0);
            answer.AsSpan(0, length).CopyTo(output);
            return (ushort)((answer[length - 2] << 8) | answer[length - 1]);
        }

        if (iv.Cla == 0x84 && iv.Ins == 0x82 && session.Scp is { State: Scp03CardState.Initialized })
        {
            length = session.Scp.ProcessExternalAuthenticate(inner, 0, inner.Length, answer, 0);
            sw = (ushort)((answer[0] << 8) | answer[1]);
            bool ok = sw == Se05xSw.Ok;
            if (ok || sw is 0x6300 or Se05xSw.SecurityStatus)
            {
                // A wrong host cryptogram (6300) or C-MAC (6982) is a failed attempt (GP Amd D §7.1.2).
                Attempt(outer, auth, ok);
            }

            session.Authenticated = ok;
            answer.AsSpan(0, length).CopyTo(output);
            return sw;
        }

        sw = Se05xSw.SecurityStatus;
        length = Se05xApplet.Sw(output, 0, sw);
        return sw;
    }

    private static void Attempt(Se05xCall call, Se05xObject auth, bool success)
    {
        if (success)
        {
            if (auth.FailedAttempts != 0)
            {
                call.Tx.EditObject(auth.Id)!.FailedAttempts = 0;
            }

            return;
        }

        call.Tx.EditObject(auth.Id)!.FailedAttempts++;
        call.Tx.CommitOnError = true;
    }
}
