namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// MANAGE CHANNEL (ISO/IEC 7816-4 §7.1.2, INS '70'; GPC v2.3.1 §11.7). P1 '00' opens (P2 '00': the card picks the
/// lowest free channel and returns its number; P2 = n: opens channel n), P1 '80' closes channel P2. Status words follow
/// the Java Card RE procedure for MANAGE CHANNEL OPEN/CLOSE (JCRE v3 §4.5.1, §4.6.1), which real cards implement: with
/// P2 '00' and no channel free '6A81' (function not supported: no resources for a new channel); with P2 = n a channel the
/// card does not offer or that is open '6A86'; P2 above 19 '6A81'; a card with the basic channel only '6881'. GPC v2.3.1
/// §11.7 leaves these to ISO/IEC 7816-4 §7.1.2, which defines the command but no status word for "no channel free".
/// </summary>
internal static class ManageChannelCommand
{
    public const byte Ins = 0x70;

    private const int MaxChannelNumber = 19;

    public static CardReply Process(CardManager card, in CardCommand cmd, LogicalChannel origin, Span<byte> output)
    {
        if (cmd.Class.SecureMessaging)
        {
            return CardReply.Status(StatusWords.SecureMessagingNotSupported);
        }

        if (!cmd.Data.IsEmpty)
        {
            return CardReply.Status(StatusWords.WrongLength);
        }

        if (card.ChannelCount == 1)
        {
            return CardReply.Status(StatusWords.LogicalChannelNotSupported);
        }

        return cmd.P1 switch
        {
            0x00 => Open(card, cmd, origin, output),
            0x80 => Close(card, cmd),
            _ => CardReply.Status(StatusWords.FunctionNotSupported),
        };
    }

    private static CardReply Open(CardManager card, in CardCommand cmd, LogicalChannel origin, Span<byte> output)
    {
        int number = cmd.P2;
        if (number == 0)
        {
            // The card assigns the channel and returns its number in one byte, so Le must be '01'.
            if (!cmd.HasLe || cmd.Ne != 1)
            {
                return CardReply.Status(StatusWords.WrongLe(1));
            }

            number = -1;
            for (int i = 1; i < card.ChannelCount; i++)
            {
                if (!card.GetChannel(i).IsOpen)
                {
                    number = i;
                    break;
                }
            }

            if (number < 0)
            {
                // JCRE §4.5.1 step 4: no resources for a new logical channel.
                return CardReply.Status(StatusWords.FunctionNotSupported);
            }
        }
        else if (number > MaxChannelNumber)
        {
            return CardReply.Status(StatusWords.FunctionNotSupported);
        }
        else if (number >= card.ChannelCount || card.GetChannel(number).IsOpen)
        {
            return CardReply.Status(StatusWords.WrongP1P2);
        }

        // ISO 7816-4 logical channels: opened from the basic channel, the new channel gets the default application (the ISD,
        // GPC §6.3); opened from another channel, it gets the application selected there.
        var entry = origin.Number == 0 ? card.State.Isd : origin.Selected;
        ushort sw = card.OpenChannel(number, entry);
        if (sw != StatusWords.Ok)
        {
            return CardReply.Status(sw);
        }

        if (cmd.P2 != 0)
        {
            return CardReply.Status(StatusWords.Ok);
        }

        output[0] = (byte)number;
        return CardReply.Data(1);
    }

    private static CardReply Close(CardManager card, in CardCommand cmd)
    {
        int number = cmd.P2;
        if (number == 0 || number > MaxChannelNumber)
        {
            // The basic channel cannot be closed.
            return CardReply.Status(StatusWords.FunctionNotSupported);
        }

        if (number >= card.ChannelCount || !card.GetChannel(number).IsOpen)
        {
            return CardReply.Status(StatusWords.WarningNoInformation);
        }

        card.CloseChannel(number);
        return CardReply.Status(StatusWords.Ok);
    }
}
