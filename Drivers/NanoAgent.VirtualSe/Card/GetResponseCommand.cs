namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// GET RESPONSE (ISO/IEC 7816-4 §7.6.1, INS 'C0'): serves response bytes a previous command on the same channel left
/// after '61xx'. The last part ends with the status word of the original command.
/// </summary>
internal static class GetResponseCommand
{
    public const byte Ins = 0xC0;

    public static int Process(in CardCommand cmd, LogicalChannel channel, Span<byte> response)
    {
        ushort sw;
        if (cmd.Class.SecureMessaging)
        {
            sw = StatusWords.SecureMessagingNotSupported;
        }
        else if (cmd.P1P2 != 0)
        {
            sw = StatusWords.WrongP1P2;
        }
        else if (!cmd.Data.IsEmpty)
        {
            sw = StatusWords.WrongLength;
        }
        else if (channel.PendingCount == 0)
        {
            sw = StatusWords.ConditionsNotSatisfied;
        }
        else if (cmd.HasLe && !cmd.IsExtended && cmd.Ne < 256 && cmd.Ne > channel.PendingCount)
        {
            // ISO 7816-4 status bytes: Le asks for more than is left: '6Cxx' with the exact count; the bytes stay available.
            sw = StatusWords.WrongLe(channel.PendingCount);
        }
        else
        {
            int n = Math.Min(Math.Min(cmd.MaxResponseLength, channel.PendingCount), response.Length - 2);
            channel.PendingBuffer.AsSpan(channel.PendingOffset, n).CopyTo(response);
            channel.Consume(n);
            sw = channel.PendingCount > 0 ? StatusWords.BytesRemaining(channel.PendingCount) : channel.PendingStatus;
            if (channel.PendingCount == 0)
            {
                channel.ClearPending();
            }

            response[n] = (byte)(sw >> 8);
            response[n + 1] = (byte)sw;
            return n + 2;
        }

        response[0] = (byte)(sw >> 8);
        response[1] = (byte)sw;
        return 2;
    }
}
