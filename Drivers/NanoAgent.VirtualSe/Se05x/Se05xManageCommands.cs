using NanoAgent.VirtualSe.Se05x.State;
using T = NanoAgent.VirtualSe.Se05x.Se05xTags;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// INS_MGMT (NXP se05x_APDU_apis.h, se05x_enums.h P2 values): GetVersion 20, GetRandom 49, CheckObjectExists 27,
/// DeleteSecureObject 28, DeleteAll 2A, GetFreeMemory 22, SetPlatformSCPRequest 52, the session commands 1B, 1C, 2C
/// (<see cref="Se05xSessionCommands"/>), and DeleteCryptoObject (P1 10, P2 28).
/// </summary>
internal static class Se05xManageCommands
{
    private const uint FactoryResetId = 0x7FFF0205; // kSE05x_AppletResID_FACTORY_RESET
    private const uint PlatformScpId = 0x7FFF0207;  // kSE05x_AppletResID_PLATFORM_SCP

    public static ushort Handle(Se05xCall call)
    {
        if (call.P1 == 0x10)
        {
            return call.P2 == 0x28 ? Se05xMacCommands.DeleteCryptoObject(call) : Se05xSw.IncorrectP1P2;
        }

        if (call.P1 != 0)
        {
            return Se05xSw.IncorrectP1P2;
        }

        return call.P2 switch
        {
            0x20 => GetVersion(call),
            0x49 => GetRandom(call),
            0x27 => Exists(call),
            0x28 => Delete(call),
            0x2A => DeleteAll(call),
            0x22 => FreeMemory(call),
            0x52 => SetPlatformScp(call),
            0x1B => Se05xSessionCommands.Create(call),
            0x1C => Se05xSessionCommands.Close(call),
            0x2C => Se05xSessionCommands.VerifyUserId(call),
            _ => Se05xSw.IncorrectP1P2,
        };
    }

    private static ushort GetVersion(Se05xCall call)
    {
        // GetVersion: no data; TAG_1 with the 7-byte version (major minor patch AppletConfig(2) SecureBox(2)).
        if (call.Nc != 0)
        {
            return Se05xSw.WrongData;
        }

        call.Reply.Bytes(T.Tag1, Version(call.Tx.View));
        return Se05xSw.Ok;
    }

    /// <summary>The 7 version bytes of SELECT and GetVersion (se05x-facts.md §1, e.g. 030100 6FFF 010B).</summary>
    public static byte[] Version(Se05xState s) =>
        [s.AppletMajor, s.AppletMinor, s.AppletPatch, (byte)(s.AppletConfig >> 8), (byte)s.AppletConfig, (byte)(s.SecureBox >> 8), (byte)s.SecureBox];

    private static ushort GetRandom(Se05xCall call)
    {
        // GetRandom: TAG_1 2-byte size; the answer must fit the applet's buffer with its TLV header.
        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.Tlvs.TryNumber(T.Tag1, 2, out uint size) || size == 0
            || size > Se05xApplet.MaxPayload(call.Tx.View) - 4)
        {
            return Se05xSw.WrongData;
        }

        call.Reply.Bytes(T.Tag1, call.Applet.Random((int)size));
        return Se05xSw.Ok;
    }

    private static ushort Exists(Se05xCall call)
    {
        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.TryObjectId(out uint id))
        {
            return Se05xSw.WrongData;
        }

        // SE05x_Result_t: 01 SUCCESS, 02 FAILURE.
        call.Reply.Byte(T.Tag1, call.Tx.View.Find(id) is null ? (byte)0x02 : (byte)0x01);
        return Se05xSw.Ok;
    }

    private static ushort Delete(Se05xCall call)
    {
        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.TryObjectId(out uint id))
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? o = call.Tx.View.Find(id);
        if (o is null || o.Origin == Se05xObject.OriginProvisioned)
        {
            // "If the object origin = ORIGIN_PROVISIONED, an error will be returned and the object is not deleted."
            return Se05xSw.ConditionsNotSatisfied;
        }

        ushort denied = call.Allowed(o, Se05xAccess.Delete);
        if (denied != 0)
        {
            return denied;
        }

        call.Tx.Remove(id);
        call.Applet.Sessions.RemoveAll(s => s.AuthId == id);
        return Se05xSw.Ok;
    }

    private static ushort DeleteAll(Se05xCall call)
    {
        // DeleteAll: only in a session of RESERVED_ID_FACTORY_RESET; keeps what NXP provisioned.
        if (call.Nc != 0)
        {
            return Se05xSw.WrongData;
        }

        if (call.Session.AuthId != FactoryResetId || !call.Session.Authenticated)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        foreach (Se05xObject o in call.Tx.View.Objects.ToArray())
        {
            if (o.Origin != Se05xObject.OriginProvisioned)
            {
                call.Tx.Remove(o.Id);
            }
        }

        call.Applet.Sessions.RemoveAll(s => s.AuthId != FactoryResetId);
        return Se05xSw.Ok;
    }

    private static ushort FreeMemory(Se05xCall call)
    {
        // GetFreeMemory: TAG_1 memory type (01 persistent, 02 transient clear-on-reset, 03 transient clear-on-deselect).
        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.Tlvs.TryNumber(T.Tag1, 1, out uint kind) || kind is < 1 or > 3)
        {
            return Se05xSw.WrongData;
        }

        int free = kind == 1 ? Se05xWriteCommands.FreePersistent(call.Tx.View)
            : (Se05xApplet.CryptoObjectBudget - call.Applet.CryptoAllocations) * 256;
        call.Reply.U16(T.Tag1, Math.Min(free, 0x7FFF));
        return Se05xSw.Ok;
    }

    private static ushort SetPlatformScp(Se05xCall call)
    {
        // SetPlatformSCPRequest: TAG_1 01 required / 02 not required; only in a session of RESERVED_ID_PLATFORM_SCP.
        if (!call.Tlvs.OnlyTags(T.Tag1) || !call.Tlvs.TryNumber(T.Tag1, 1, out uint value) || value is not (1 or 2))
        {
            return Se05xSw.WrongData;
        }

        if (call.Session.AuthId != PlatformScpId || !call.Session.Authenticated)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        call.Tx.Edit().PlatformScpRequired = value == 1;
        return Se05xSw.Ok;
    }
}
