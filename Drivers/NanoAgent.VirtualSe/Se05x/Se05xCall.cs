using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>One applet command being handled: its header, its TLVs, the session it runs in, its transaction and its answer.</summary>
internal sealed class Se05xCall
{
    public Se05xCall(Se05xApplet applet, Se05xTransaction tx)
    {
        Applet = applet;
        Tx = tx;
    }

    public Se05xApplet Applet { get; }

    public Se05xTransaction Tx { get; }

    public Se05xTlvs Tlvs { get; } = new();

    public Se05xReply Reply => Applet.Reply;

    public Se05xAppletSession Session { get; set; } = Se05xAppletSession.Default;

    public byte Cla { get; set; }

    public byte Ins { get; set; }

    public byte P1 { get; set; }

    public byte P2 { get; set; }

    /// <summary>Gets or sets the length of the command data field.</summary>
    public int Nc { get; set; }

    /// <summary>Gets or sets the command data field as received.</summary>
    public byte[] Data { get; set; } = [];

    /// <summary>Checks the session's rights on an object: 0 when allowed, else 6986.</summary>
    public ushort Allowed(Se05xObject o, uint right) =>
        Se05xPolicyRules.Check(o, Session.AuthId, Session.SecureMessaging, right);

    /// <summary>Reads TAG_1 as a 4-byte object identifier.</summary>
    public bool TryObjectId(out uint id) => Tlvs.TryNumber(Se05xTags.Tag1, 4, out id);
}
