using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// SELECT by DF name (ISO/IEC 7816-4 §7.1.1, INS 'A4', P1 '04'; GPC v2.3.1 §11.9). Matches the registry by full AID or
/// by AID prefix (partial selection), in registry order; P2 '02' continues after the previous match on the channel.
/// P2 b4-b3 '11' ('0C', '0E') asks for no response data. A failed SELECT leaves the current selection in place.
/// </summary>
internal static class SelectCommand
{
    public const byte Ins = 0xA4;

    private const byte ByName = 0x04;
    private const byte OccurrenceMask = 0x03;
    private const byte NextOccurrence = 0x02;
    private const byte ResponseMask = 0x0C;
    private const byte NoResponseData = 0x0C;

    public static CardReply Process(CardManager card, in CardCommand cmd, LogicalChannel channel, Span<byte> output)
    {
        if (cmd.Class.SecureMessaging)
        {
            return CardReply.Status(StatusWords.SecureMessagingNotSupported);
        }

        // GPC §11.9.2.1: only selection by name; ISO P2 b2-b1 first (00) or next (10); b4-b3 FCI (00) or none (11).
        int occurrence = cmd.P2 & OccurrenceMask;
        int responseKind = cmd.P2 & ResponseMask;
        if (cmd.P1 != ByName || (cmd.P2 & 0xF0) != 0 || occurrence is 0x01 or 0x03 || responseKind is 0x04 or 0x08)
        {
            return CardReply.Status(StatusWords.WrongP1P2);
        }

        ReadOnlySpan<byte> aid = cmd.Data;
        RegistryEntry? found = null;
        int index = -1;
        if (aid.IsEmpty)
        {
            // GPC §11.9.2.3: SELECT without an AID selects the ISD.
            found = card.IsSelectable(card.State.Isd) ? card.State.Isd : null;
        }
        else if (aid.Length is >= 5 and <= 16)
        {
            int start = 0;
            if (occurrence == NextOccurrence && channel.LastSelectAid is { } last && aid.SequenceEqual(last))
            {
                start = channel.LastSelectIndex + 1;
            }

            List<RegistryEntry> entries = card.State.Entries;
            for (int i = start; i < entries.Count; i++)
            {
                RegistryEntry e = entries[i];
                if (e.Aid.AsSpan().StartsWith(aid) && card.IsSelectable(e))
                {
                    found = e;
                    index = i;
                    break;
                }
            }
        }

        if (found is null && occurrence != NextOccurrence && card.FindSystemEntry(aid) is { } system && card.IsSelectable(system))
        {
            found = system;
        }

        if (found is null)
        {
            // ISO 7816-4 status bytes: '6A82' application not found; the current selection stays.
            return CardReply.Status(StatusWords.NotFound);
        }

        CardReply reply = card.SelectOn(channel, found, output);
        if (channel.Selected == found && index >= 0)
        {
            channel.LastSelectAid = aid.ToArray();
            channel.LastSelectIndex = index;
        }

        return responseKind == NoResponseData ? CardReply.Status(reply.StatusWord) : reply;
    }
}
