using NanoAgent.Drivers.Apdu;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.Platform;
using NanoAgent.VirtualSe.Se05x.State;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// The card manager (ISD) of the virtual SE05x, as small as a customer sees it on the chip: its secure channel is the
/// platform SCP03 channel (KVN 0B in NXP's examples, ex_sss_auth.h; run by the <see cref="PlatformScpGate"/> in front of
/// the card), and it answers GET DATA (CPLC 9F7F, card data 66, IIN 42, CIN 45, key information E0) and, on the platform
/// channel, GET STATUS of itself and the IoT applet (GPC v2.3.1 §11.3, §11.4). Card content management and PUT KEY
/// (NXP's platform key rotation example) are not modelled: 6985 on the platform channel, 6982 without it.
/// </summary>
internal sealed class Se05xIsd
{
    /// <summary>The ISD AID (GPC §F.3 default, as on JCOP).</summary>
    public static readonly byte[] Aid = Convert.FromHexString("A000000151000000");

    private static readonly byte[] CardRecognitionData = Convert.FromHexString(
        "732F06072A864886FC6B01600C060A2A864886FC6B020203016309" + "06072A864886FC6B03" + "640B06092A864886FC6B040360");

    /// <summary>Gets or sets the platform channel in front of the card, or null when the card has no platform keys.</summary>
    public PlatformScpGate? Platform { get; set; }

    private bool Authenticated => Platform is { IsOpen: true };

    /// <summary>The FCI SELECT answers for the ISD (GPC §11.9.3.1).</summary>
    public static int Fci(Span<byte> output)
    {
        Span<byte> content = stackalloc byte[64];
        int at = TlvBytes.Write(content, 0x84, Aid);
        at += TlvBytes.Write(content[at..], 0xA5, [0x9F, 0x65, 0x01, 0xFF]);
        return TlvBytes.Write(output, 0x6F, content[..at]);
    }

    public int Process(Se05xState state, in CommandApduView view, byte[] apdu, Span<byte> output)
    {
        byte cla = view.Cla;
        if ((cla & 0x04) != 0)
        {
            // The ISD has no secure channel of its own: a secured command reaching it was not unwrapped.
            return Se05xApplet.Sw(output, 0, Se05xSw.SecurityStatus);
        }

        switch (view.Ins)
        {
            case 0xCA or 0xCB when view.Nc == 0:
                return GetData(state, (ushort)((view.P1 << 8) | view.P2), output);
            case 0xCA or 0xCB:
                return Se05xApplet.Sw(output, 0, Se05xSw.WrongLength);
            case 0xF2 when cla == 0x80:
                return Authenticated ? GetStatus(view, apdu, output) : Se05xApplet.Sw(output, 0, Se05xSw.SecurityStatus);
            case 0x50 when cla == 0x80:
                // GP Amd D §7.1.1: a key version the card does not hold (the platform version is taken by the gate).
                return Se05xApplet.Sw(output, 0, Se05xSw.ReferencedDataNotFound);
            case 0x82:
                return Se05xApplet.Sw(output, 0, Se05xSw.ConditionsNotSatisfied);
            case 0xE2 or 0xE4 or 0xE6 or 0xE8 or 0xD8 or 0xF0 or 0xF1 when cla == 0x80:
                return Se05xApplet.Sw(output, 0, Authenticated ? Se05xSw.ConditionsNotSatisfied : Se05xSw.SecurityStatus);
            default:
                return Se05xApplet.Sw(output, 0, Se05xSw.InsNotSupported);
        }
    }

    private int GetData(Se05xState state, ushort tag, Span<byte> output)
    {
        int n;
        switch (tag)
        {
            case 0x9F7F:
                Span<byte> cplc = stackalloc byte[Cplc.Length];
                state.Identity.Cplc.Encode(cplc);
                n = TlvBytes.Write(output, 0x9F7F, cplc);
                break;
            case 0x0066:
                n = TlvBytes.Write(output, 0x66, CardRecognitionData);
                break;
            case 0x0042:
                n = TlvBytes.Write(output, 0x42, state.Identity.Iin);
                break;
            case 0x0045:
                n = TlvBytes.Write(output, 0x45, state.Identity.Cin);
                break;
            case 0x00E0 when Platform is not null:
                Span<byte> info = stackalloc byte[3 * 6];
                int at = 0;
                for (byte id = 1; id <= 3; id++)
                {
                    at += TlvBytes.Write(info[at..], 0xC0, [id, Platform.Keys.KeyVersion, 0x88, 16]);
                }

                n = TlvBytes.Write(output, 0xE0, info[..at]);
                break;
            default:
                return Se05xApplet.Sw(output, 0, Se05xSw.ReferencedDataNotFound);
        }

        return n + Se05xApplet.Sw(output, n, Se05xSw.Ok);
    }

    private static int GetStatus(in CommandApduView view, byte[] apdu, Span<byte> output)
    {
        // GPC §11.4: P1 80 the ISD, 40 applications; P2 00 fixed format or 02 tag list; data '4F' + AID prefix.
        if (view.P1 is not (0x80 or 0x40 or 0x20 or 0x10) || view.P2 is not (0x00 or 0x02))
        {
            return Se05xApplet.Sw(output, 0, Se05xSw.IncorrectP1P2);
        }

        if (view.Nc < 2 || apdu[view.DataOffset] != 0x4F || apdu[view.DataOffset + 1] != view.Nc - 2)
        {
            return Se05xApplet.Sw(output, 0, Se05xSw.WrongData);
        }

        ReadOnlySpan<byte> prefix = apdu.AsSpan(view.DataOffset + 2, view.Nc - 2);
        byte[] aid = view.P1 == 0x80 ? Aid : Se05xCard.AppletAidBytes;
        if (view.P1 is 0x20 or 0x10 || !aid.AsSpan().StartsWith(prefix))
        {
            return Se05xApplet.Sw(output, 0, Se05xSw.ReferencedDataNotFound);
        }

        byte lifeCycle = view.P1 == 0x80 ? (byte)0x0F : (byte)0x07;
        byte[] privileges = view.P1 == 0x80 ? [0x9E, 0xFE, 0x80] : [0x00, 0x00, 0x00];
        int n;
        if (view.P2 == 0x02)
        {
            Span<byte> content = stackalloc byte[64];
            int at = TlvBytes.Write(content, 0x4F, aid);
            at += TlvBytes.Write(content[at..], 0x9F70, lifeCycle);
            at += TlvBytes.Write(content[at..], 0xC5, privileges);
            n = TlvBytes.Write(output, 0xE3, content[..at]);
        }
        else
        {
            output[0] = (byte)aid.Length;
            aid.CopyTo(output[1..]);
            output[1 + aid.Length] = lifeCycle;
            output[2 + aid.Length] = privileges[0];
            n = aid.Length + 3;
        }

        return n + Se05xApplet.Sw(output, n, Se05xSw.Ok);
    }
}
